/**
 * Document ingestion speed: pages/s reading a generated 500-page PDF (text, boxes, layout).
 *
 * Figures go to stderr and bench-results/documents.json; the benchmark reports, it does not
 * pass or fail.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../documents/ingest';
import { writeLongPdf } from '../documents/testing/make-pdf';
import { writeBenchResult } from './bench-results';

const PAGES = 500;
const RUNS = 3;

/** Runs the benchmark; returns the figures it printed. */
export async function benchDocuments(): Promise<Record<string, number>> {
  const log = (m: string) => process.stderr.write(`[documents] ${m}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'kv-lens-bench-docs-'));
  try {
    const path = join(dir, `book-${PAGES}.pdf`);
    await writeLongPdf(path, PAGES);
    const fileMb = statSync(path).size / (1024 * 1024);
    log(`generated ${PAGES}-page PDF (${fileMb.toFixed(1)} MB)`);
    await ingestFile(path); // warm-up: module loading and JIT
    const seconds: number[] = [];
    let chars = 0;
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const doc = await ingestFile(path, {
        onProgress: ({ page }) => {
          if (page % 50 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        },
      });
      seconds.push((performance.now() - t0) / 1000);
      chars = doc.text.length;
    }
    seconds.sort((a, b) => a - b);
    const median = seconds[Math.floor(seconds.length / 2)]!;
    const figures = {
      pages: PAGES,
      fileMb: round(fileMb, 2),
      chars,
      pagesPerSecond: round(PAGES / median, 1),
      bestPagesPerSecond: round(PAGES / seconds[0]!, 1),
      charsPerSecond: Math.round(chars / median),
      msPerPage: round((1000 * median) / PAGES, 2),
      rssGrowthMb: round((rssPeak - rssBefore) / (1024 * 1024), 1),
    };
    log(
      `${figures.pagesPerSecond} pages/s (median of ${RUNS}, best ${figures.bestPagesPerSecond}), ` +
        `${figures.msPerPage} ms/page, ${figures.charsPerSecond} chars/s, RSS growth ${figures.rssGrowthMb} MB`,
    );
    log(`wrote ${writeBenchResult('documents.json', figures)}`);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));
