import { describe, it, expect, afterEach } from 'vitest';
import { openStore, type Store } from '../store/open-store';
import { DocumentFiles } from '../store/document-files';
import { useTempDirs } from '../store/testing/temp-dirs';
import { pdfkitBytes } from '../documents/testing/make-pdf';
import { DocumentLibrary } from './document-library';
import { TaskRegistry } from './task-registry';
import type { DocumentSource } from '../../app/ipc/contract';

const tempDir = useTempDirs();
const open: { store: Store; library: DocumentLibrary }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    o.library.dispose();
    o.store.dispose();
  }
});

const tasks = new TaskRegistry();
/** Opens through a real task, as the app's document:open handler does. */
const openDoc = (lib: DocumentLibrary, source: DocumentSource) =>
  tasks.run(
    'open',
    'ingest',
    'Reading',
    'pages',
    () => {},
    (task) => lib.open(source, null, task),
  );

function library(withFiles: boolean): DocumentLibrary {
  const store = openStore(':memory:');
  const lib = new DocumentLibrary(store, withFiles ? new DocumentFiles(tempDir()) : null);
  open.push({ store, library: lib });
  return lib;
}

const twoPages = () =>
  pdfkitBytes((doc) => {
    doc.fontSize(12).text('First page: the lamp was checked at dawn.');
    doc.addPage().text('Second page.');
  });

describe('DocumentLibrary pages', () => {
  for (const withFiles of [true, false]) {
    it(`serves a PDF's bytes and page boxes (${withFiles ? 'stored copy' : 'memory only'})`, async () => {
      const lib = library(withFiles);
      const bytes = await twoPages();
      const doc = await openDoc(lib, { kind: 'upload', name: 'two.pdf', bytes });
      expect(bytes.length).toBeGreaterThan(0); // not taken over by pdf.js
      expect(await lib.file(doc.id)).toEqual(bytes);
      expect(doc.bytes).toBe(bytes.length);
      // Another PDF is another document (the hash is of the real bytes).
      const other = await pdfkitBytes((d) => d.text('Another file.'));
      const otherDoc = await openDoc(lib, { kind: 'upload', name: 'o.pdf', bytes: other });
      expect(otherDoc.id).not.toBe(doc.id);
      const content = await lib.content(doc.id);
      const second = await lib.page(doc.id, 1);
      expect(second.start).toBe(content.pageStarts[1]);
      expect(content.text.slice(second.start, second.start + second.textLength)).toBe(
        'Second page.',
      );
      expect(second.boxes).toBeInstanceOf(Float32Array);
      expect(second.boxes!.length).toBe(4 * second.textLength);
      expect(second.width).toBeCloseTo(612, 0);
      await expect(lib.page(doc.id, 2)).rejects.toThrow(/has 2 page\(s\); page index 2/);
    });
  }

  it('refuses page bytes for a text document, saying to use the text view', async () => {
    const lib = library(true);
    const bytes = new TextEncoder().encode('plain words');
    const doc = await openDoc(lib, { kind: 'upload', name: 'notes.txt', bytes });
    await expect(lib.file(doc.id)).rejects.toMatchObject({ code: 'unsupported' });
    await expect(lib.file(doc.id)).rejects.toThrow(/text view/);
    expect((await lib.page(doc.id, 0)).boxes).toBeNull();
  });
});
