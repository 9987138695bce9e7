import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KvLensError } from '../../../app/errors';
import { renderSamplePdf } from './render-sample-pdf';
import { readSampleDocs } from './sample-doc';

const MIN_PAGES = 5;
const MAX_PAGES = 60;

/**
 * Write assets/samples/<name>.pdf and <name>.json (questions + answers) for every sample document.
 *
 * Content comes from samples/sample-docs.json (made by `python3 -m trainer.sample_docs` with the
 * training data's fact templates), so the demo model is trained to answer these questions.
 * Run: npx tsx native-models/demo-model/samples/make-sample-pdfs.ts [--spec FILE --out DIR]
 */
export async function makeSamplePdfs(specPath: string, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const doc of readSampleDocs(specPath)) {
    const pdf = await renderSamplePdf(doc);
    if (pdf.pages < MIN_PAGES || pdf.pages > MAX_PAGES) {
      throw new KvLensError(
        'invalid-argument',
        `${doc.name}: ${pdf.pages} pages; sample PDFs must have ${MIN_PAGES}-${MAX_PAGES}. Change its token target in trainer/sample_docs.py.`,
      );
    }
    const questions = doc.qa.map((q) => {
      const page = pdf.spanPages.get(q.answer);
      if (page === undefined) throw new Error(`${doc.name}: answer "${q.answer}" was not laid out`);
      return { ...q, page };
    });
    const pdfPath = join(outDir, `${doc.name}.pdf`);
    writeFileSync(pdfPath, pdf.bytes);
    const meta = {
      document: `${doc.name}.pdf`,
      title: doc.title,
      pages: pdf.pages,
      tokens: doc.tokens,
      questions,
    };
    writeFileSync(join(outDir, `${doc.name}.json`), `${JSON.stringify(meta, null, 2)}\n`);
    written.push(pdfPath);
    process.stderr.write(
      `${pdfPath}: ${pdf.pages} pages, ${pdf.bytes.length} bytes, ${questions.length} questions\n`,
    );
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  // Defaults: the shipped samples. `--spec FILE --out DIR` renders another spec (held-out sets).
  const here = import.meta.dirname;
  try {
    const { values } = parseArgs({
      options: { spec: { type: 'string' }, out: { type: 'string' } },
    });
    await makeSamplePdfs(
      values.spec ?? join(here, 'sample-docs.json'),
      values.out ?? join(here, '..', '..', '..', 'assets', 'samples'),
    );
  } catch (err) {
    process.stderr.write(
      `error: ${(err as Error).message}\nUsage: npx tsx native-models/demo-model/samples/make-sample-pdfs.ts [--spec FILE --out DIR]\n`,
    );
    process.exitCode = 1;
  }
}
