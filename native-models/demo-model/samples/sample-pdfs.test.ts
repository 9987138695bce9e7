import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { renderSamplePdf } from './render-sample-pdf';
import { readSampleDocs } from './sample-doc';

const here = import.meta.dirname;
const assets = join(here, '..', '..', '..', 'assets', 'samples');
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

interface SampleMeta {
  document: string;
  pages: number;
  questions: { question: string; answer: string; reply: string; page: number }[];
}

async function pageTexts(path: string): Promise<string[]> {
  const data = new Uint8Array(readFileSync(path));
  const pdf = await getDocument({
    data,
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + sep,
  }).promise;
  const out: string[] = [];
  for (let p = 1; p <= pdf.numPages; p += 1) {
    const content = await (await pdf.getPage(p)).getTextContent();
    out.push(
      content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''),
    );
  }
  await pdf.destroy();
  return out;
}

describe('sample PDFs in assets/samples', () => {
  const metas = readdirSync(assets).filter((f) => f.endsWith('.json'));

  it('are 2-3 small PDFs of 5-60 pages whose answers sit on the recorded page', async () => {
    expect(metas.length).toBeGreaterThanOrEqual(2);
    for (const file of metas) {
      const meta = JSON.parse(readFileSync(join(assets, file), 'utf8')) as SampleMeta;
      const pdfPath = join(assets, meta.document);
      expect(statSync(pdfPath).size).toBeLessThan(1024 * 1024);
      const pages = await pageTexts(pdfPath);
      expect(pages.length).toBe(meta.pages);
      expect(pages.length).toBeGreaterThanOrEqual(5);
      expect(pages.length).toBeLessThanOrEqual(60);
      expect(meta.questions.length).toBeGreaterThan(5);
      for (const q of meta.questions) {
        expect(pages[q.page - 1], `${meta.document}: ${q.question}`).toContain(q.answer);
        expect(q.reply).toContain(q.answer);
      }
    }
  });

  it('are reproduced byte for byte from samples/sample-docs.json', async () => {
    for (const doc of readSampleDocs(join(here, 'sample-docs.json'))) {
      const { bytes } = await renderSamplePdf(doc);
      expect(bytes.equals(readFileSync(join(assets, `${doc.name}.pdf`))), doc.name).toBe(true);
    }
  });

  it('come from a spec whose absence or damage is reported with what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-lens-spec-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"not": "a list"');
    expect(() => readSampleDocs(join(dir, 'missing.json'))).toThrow(/trainer\.sample_docs/);
    expect(() => readSampleDocs(bad)).toThrow(/Cannot read the sample spec/);
    writeFileSync(bad, '{"not": "a list"}');
    expect(() => readSampleDocs(bad)).toThrow(/JSON array/);
    rmSync(dir, { recursive: true });
  });
});
