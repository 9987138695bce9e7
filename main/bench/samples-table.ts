/**
 * The plain-text tables `npm run bench -- samples` prints: one per document (each question, the
 * reply at each setting, right or wrong), then totals and timing over the documents.
 */
import type { DocumentResult } from './samples-run';
import { answerSpeed, tally, type BenchSetting, type Tally } from './samples-score';

/** Column-aligned lines; columns listed in `right` are right-aligned (figures). */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: ReadonlySet<number> = new Set(),
): string[] {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    widths
      .map((w, c) => (right.has(c) ? (cells[c] ?? '').padStart(w) : (cells[c] ?? '').padEnd(w)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** A reply on one line, cut to `max` characters (with "..." when cut), quoted. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, Math.max(0, max - 3))}...` : flat;
  return JSON.stringify(cut);
}

/** "7/10" */
export function rightOf(t: Tally): string {
  return `${t.right}/${t.asked}`;
}

const REPLY_CHARS = 72;

/**
 * Two rows per question (one per setting): expected answer, setting, right or wrong, ROUGE-1
 * recall and the reply (cut to fit a line).
 */
export function documentTable(doc: DocumentResult, settings: readonly BenchSetting[]): string[] {
  const headers = ['#', 'kind', 'expected', 'setting', 'result', 'R1', 'reply'];
  const rows = doc.questions.flatMap((q, i) =>
    settings.map((s, k) => {
      const a = q.answers[s.id];
      const head = k === 0 ? [String(i + 1), q.kind, q.answer] : ['', '', ''];
      return [
        ...head,
        s.label,
        a.right ? 'right' : 'wrong',
        a.rouge1.toFixed(2),
        clip(a.text, REPLY_CHARS),
      ];
    }),
  );
  return formatTable(headers, rows, new Set([0, 5]));
}

/** Right / asked, whole replies and mean ROUGE-1 per document and setting, with a total row. */
export function totalsTable(
  docs: readonly DocumentResult[],
  settings: readonly BenchSetting[],
): string[] {
  const headers = ['document', 'questions'];
  for (const s of settings) headers.push(`${s.label} right`, 'whole', 'mean R1');
  const row = (name: string, questions: DocumentResult['questions']) => {
    const cells = [name, String(questions.length)];
    for (const s of settings) {
      const t = tally(questions, s.id);
      cells.push(rightOf(t), String(t.whole), t.rouge1Mean.toFixed(2));
    }
    return cells;
  };
  const rows = docs.map((d) => row(d.name, d.questions));
  rows.push(
    row(
      'total',
      docs.flatMap((d) => d.questions),
    ),
  );
  const right = new Set<number>([1]);
  settings.forEach((_, i) => {
    right.add(2 + 2 * i);
    right.add(3 + 2 * i);
  });
  return formatTable(headers, rows, right);
}

/** Per document: reading the PDF, the model load, the one document prefill, then per answer. */
export function timingTable(
  docs: readonly DocumentResult[],
  settings: readonly BenchSetting[],
): string[] {
  const headers = ['document', 'open ms', 'load ms', 'prefill ms', 'prefill tok', 'prefill tok/s'];
  for (const s of settings) headers.push(`${s.label} TTFT ms`, 'decode tok/s');
  const rows = docs.map((d) => {
    const t = d.timing;
    const cells = [
      d.name,
      fixed(d.openMs, 0),
      fixed(t.loadMs, 0),
      fixed(t.prefillMs, 0),
      fixed(t.prefillTokens, 0),
      fixed(t.prefillTokensPerSecond, 0),
    ];
    for (const s of settings) {
      const speed = answerSpeed(d.questions, s.id);
      cells.push(fixed(speed.timeToFirstTokenMs, 1), fixed(speed.decodeTokensPerSecond, 1));
    }
    return cells;
  });
  return formatTable(headers, rows, new Set(headers.map((_, c) => c).filter((c) => c > 0)));
}

function fixed(v: number | null, digits: number): string {
  return v === null ? '-' : v.toFixed(digits);
}
