/**
 * The user's documents: records in the library database (so they come back after a restart),
 * uploaded files copied into the data folder, and the ingested text of the ones in use held in
 * memory (re-ingested from the file on first use after a restart).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DocumentSource } from '../../app/ipc/contract';
import { KvLensError } from '../../app/errors';
import type { DocumentContent, DocumentSummary, PageLayout } from '../../app/ipc/views';
import type { IngestedDocument } from '../../app/documents/document';
import type { DocumentRecord } from '../../app/store/records';
import type { IngestOptions } from '../../app/documents/ingest-options';
import { ingestBytes, ingestFile } from '../documents/ingest';
import type { Store } from '../store/open-store';
import type { DocumentFiles } from '../store/document-files';
import type { TaskHandle } from './task-registry';

export class DocumentLibrary {
  private readonly loaded = new Map<string, IngestedDocument>();
  /** Bytes of uploads with no data folder to copy them into (kept for drawing their pages). */
  private readonly memoryFiles = new Map<string, Uint8Array>();

  /** `files` null keeps uploads in memory only (a throwaway session without a data folder). */
  constructor(
    private readonly store: Store,
    private readonly files: DocumentFiles | null,
  ) {}

  /** Ingests a file from a host path or uploaded bytes, with page progress and cancellation. */
  async open(
    source: DocumentSource,
    password: string | null,
    task: TaskHandle,
  ): Promise<DocumentSummary> {
    const options: IngestOptions = {
      ...(password !== null ? { password } : {}),
      signal: task.signal,
      onProgress: (p) => task.progress(p.page, p.pages),
    };
    let doc: IngestedDocument;
    let bytes: Uint8Array;
    let path: string;
    if (source.kind === 'path') {
      doc = await ingestFile(source.path, options);
      bytes = new Uint8Array(await readFile(source.path));
      path = source.path;
    } else {
      // A copy: pdf.js takes ownership of (detaches) the buffer it is given, and these bytes
      // are still needed below for the hash and the stored copy.
      doc = await ingestBytes(source.bytes.slice(), source.name, options);
      bytes = source.bytes;
      path = this.files?.put(bytes, source.name).path ?? '';
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // The same bytes again (a re-opened file) find their record and conversations.
    const existing = this.store.documents.findBySha256(sha256);
    const record = existing
      ? this.store.documents.touch(existing.id)
      : this.store.documents.add({
          name: doc.name,
          kind: doc.kind,
          source: source.kind,
          path,
          sha256,
          pages: doc.pages.length,
          chars: doc.text.length,
          bytes: bytes.length,
          warnings: doc.warnings.map((w) => w.message),
        });
    this.loaded.set(record.id, doc);
    if (path === '') this.memoryFiles.set(record.id, bytes);
    return summary(record);
  }

  list(): DocumentSummary[] {
    return this.store.documents.list().map(summary);
  }

  /** The ingested document, read again from its file when this run has not read it yet. */
  async load(id: string): Promise<IngestedDocument> {
    const cached = this.loaded.get(id);
    if (cached) return cached;
    const record = this.store.documents.get(id);
    const doc =
      record.source === 'path'
        ? await ingestFile(record.path)
        : await ingestBytes(new Uint8Array(await readFile(record.path)), record.name);
    this.loaded.set(id, doc);
    return doc;
  }

  async content(id: string): Promise<DocumentContent> {
    const doc = await this.load(id);
    return { id, text: doc.text, pageStarts: Array.from(doc.pageStarts) };
  }

  /**
   * The PDF's bytes, for the window to draw its pages; KvLensError('unsupported') for text and
   * Markdown documents, which have no pages to draw.
   */
  async file(id: string): Promise<Uint8Array> {
    const record = this.store.documents.get(id);
    if (record.kind !== 'pdf') {
      throw new KvLensError(
        'unsupported',
        `${record.name} is a ${record.kind} document; only PDF documents have pages to show. Use the text view.`,
      );
    }
    const kept = this.memoryFiles.get(id);
    if (kept) return kept;
    try {
      return new Uint8Array(await readFile(record.path));
    } catch (err) {
      throw new KvLensError(
        'not-found',
        `Cannot read ${record.path} (${(err as Error).message}). Open the file again if it moved.`,
      );
    }
  }

  /** Page `index`'s layout (0-based); KvLensError('invalid-argument') names the page count. */
  async page(id: string, index: number): Promise<PageLayout> {
    const doc = await this.load(id);
    const page = doc.pages[index];
    if (!page) {
      throw new KvLensError(
        'invalid-argument',
        `${doc.name} has ${doc.pages.length} page(s); page index ${index} is outside 0..${doc.pages.length - 1}.`,
      );
    }
    return {
      page: index,
      start: page.start,
      textLength: page.text.length,
      width: page.width,
      height: page.height,
      boxes: page.boxes,
      vertical: page.vertical ?? false,
    };
  }

  /** Removes the document, its conversations (cascade) and its uploaded copy. */
  close(id: string): void {
    const record = this.store.documents.get(id);
    this.store.documents.delete(id);
    this.loaded.delete(id);
    this.memoryFiles.delete(id);
    if (
      record.source === 'upload' &&
      this.files &&
      !this.store.documents.findBySha256(record.sha256)
    ) {
      this.files.remove(record.sha256, record.name);
    }
  }

  dispose(): void {
    this.loaded.clear();
    this.memoryFiles.clear();
  }
}

function summary(r: DocumentRecord): DocumentSummary {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    pages: r.pages,
    chars: r.chars,
    bytes: r.bytes,
    warnings: r.warnings,
    openedAt: r.lastOpenedAt,
  };
}
