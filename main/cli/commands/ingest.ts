/**
 * `ingest FILE [--password P] [--max-pages N] [--max-mb N] --json`: read a document and print
 * its text per page.
 */
import { KvLensError } from '../../../app/errors';
import { DEFAULT_INGEST_LIMITS } from '../../../app/documents/ingest-options';
import { ingestFile } from '../../documents/ingest';
import { intFlag, parseArgs } from '../args';
import type { CliCommand } from '../command';

const MB = 1024 * 1024;

export const ingestCommand: CliCommand = {
  name: 'ingest',
  usage: 'ingest FILE [--password P] [--max-pages N] [--max-mb N]',
  summary: 'Read a PDF, text or Markdown file; print its pages, text and warnings.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['password', 'max-pages', 'max-mb'] });
    const file = args.positionals[0];
    if (file === undefined || args.positionals.length > 1) {
      throw new KvLensError(
        'usage',
        `ingest takes exactly one FILE, got ${args.positionals.length}.`,
      );
    }
    const maxPages = intFlag(args, 'max-pages', DEFAULT_INGEST_LIMITS.maxPages, 1);
    const maxMb = intFlag(args, 'max-mb', DEFAULT_INGEST_LIMITS.maxFileBytes / MB, 1);
    let lastLogged = 0;
    const doc = await ingestFile(file, {
      password: args.values.get('password'),
      limits: { maxPages, maxFileBytes: maxMb * MB },
      signal: io.signal,
      onProgress: ({ page, pages }) => {
        // Long documents report every 100 pages; short ones stay quiet.
        if (page === pages ? pages >= 100 : page - lastLogged >= 100) {
          lastLogged = page;
          io.log(`page ${page} of ${pages}`);
        }
      },
    });
    const json = {
      pages: doc.pages.length,
      chars: doc.text.length,
      text: doc.text,
      pageTexts: doc.pages.map((p) => p.text),
      warnings: doc.warnings,
    };
    const notes = doc.warnings.map((w) => `\n  warning: ${w.message}`).join('');
    return {
      json,
      text: `${doc.name}: ${json.pages} page(s), ${json.chars} characters${notes}`,
    };
  },
};
