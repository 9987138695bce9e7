/**
 * The harness's outputs: results.json (every case), summary.md (mean score per method x budget)
 * and one PNG heatmap (depth x length) per method and budget.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KV_METHOD_LABELS, type KvMethod } from '../../../app/kv/methods';
import { renderHeatmapPng } from './heatmap';
import type { NiahCase, NiahRun } from './run-niah';

export type NiahSummary = Record<string, Record<string, number>>;

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** {method: {budget: mean of `field` over its cases}}, methods and budgets in run order. */
export function summarise(
  cases: readonly NiahCase[],
  field: 'score' | 'exact' = 'score',
): NiahSummary {
  const groups = new Map<string, Map<string, number[]>>();
  for (const c of cases) {
    const byBudget = groups.get(c.method) ?? new Map<string, number[]>();
    groups.set(c.method, byBudget);
    const list = byBudget.get(String(c.budget)) ?? [];
    byBudget.set(String(c.budget), list);
    list.push(field === 'score' ? c.score : c.exact ? 1 : 0);
  }
  const out: NiahSummary = {};
  for (const [m, byBudget] of groups) {
    out[m] = {};
    for (const [b, xs] of byBudget) out[m][b] = round4(mean(xs));
  }
  return out;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** A markdown table: one row per method, one column per budget. */
export function summaryMarkdown(
  summary: NiahSummary,
  exact: NiahSummary,
  run: NiahRun,
  settings: Record<string, unknown>,
): string {
  const budgets = [...new Set(Object.values(summary).flatMap((r) => Object.keys(r)))];
  const table = (s: NiahSummary) => [
    `| method | ${budgets.map((b) => `B=${b}`).join(' | ')} |`,
    `|---|${budgets.map(() => '---:').join('|')}|`,
    ...Object.entries(s).map(
      ([m, r]) =>
        `| ${KV_METHOD_LABELS[m as KvMethod] ?? m} | ${budgets.map((b) => (r[b] ?? NaN).toFixed(3)).join(' | ')} |`,
    ),
  ];
  const lines = [
    '# Needle in a haystack',
    '',
    `Model: ${run.model.dir} (${run.model.family}, ${run.model.numLayers} layers, ${run.model.numHeads} heads). Calibration: ${run.calibration}.`,
    `Settings: ${JSON.stringify(settings)}`,
    '',
    '## Mean ROUGE-1 recall of the answer',
    '',
    ...table(summary),
    '',
    '## Exact match rate',
    '',
    ...table(exact),
  ];
  if (run.skipped.length > 0)
    lines.push('', ...run.skipped.map((s) => `Skipped ${s.method}: ${s.reason}.`));
  if (run.warnings.length > 0)
    lines.push('', '## Warnings', '', ...run.warnings.map((w) => `- ${w}`));
  return `${lines.join('\n')}\n`;
}

/** Writes results.json, summary.md and the heatmaps into `outDir`; returns the paths. */
export function writeNiahReport(
  outDir: string,
  run: NiahRun,
  settings: Record<string, unknown>,
): { files: string[]; summary: NiahSummary } {
  mkdirSync(outDir, { recursive: true });
  const summary = summarise(run.cases);
  const exact = summarise(run.cases, 'exact');
  const files: string[] = [];
  const put = (name: string, data: string | Buffer) => {
    const p = join(outDir, name);
    writeFileSync(p, data);
    files.push(p);
  };
  put(
    'results.json',
    `${JSON.stringify({ settings, model: run.model, calibration: run.calibration, skipped: run.skipped, warnings: run.warnings, summary, exactSummary: exact, cases: run.cases }, null, 2)}\n`,
  );
  put('summary.md', summaryMarkdown(summary, exact, run, settings));
  const lengths = [...new Set(run.cases.map((c) => c.length))];
  const depths = [...new Set(run.cases.map((c) => c.depth))];
  for (const [method, byBudget] of Object.entries(summary)) {
    for (const budget of Object.keys(byBudget)) {
      const mine = run.cases.filter((c) => c.method === method && String(c.budget) === budget);
      const values = depths.map((d) =>
        lengths.map((n) => {
          const xs = mine.filter((c) => c.depth === d && c.length === n).map((c) => c.score);
          return xs.length ? mean(xs) : null;
        }),
      );
      const label = KV_METHOD_LABELS[method as KvMethod] ?? method;
      const title = `${label}, budget ${budget} (mean score ${byBudget[budget]!.toFixed(2)})`;
      put(`heatmap-${method}-${budget}.png`, renderHeatmapPng({ title, lengths, depths, values }));
    }
  }
  return { files, summary };
}
