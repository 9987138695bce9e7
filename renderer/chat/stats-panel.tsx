/**
 * Figures of the last answer and of the current selection: prompt and kept tokens, KV memory
 * full vs compressed, time to first token, prefill/decode speed, execution provider.
 */
import { useApp } from '../store/store-context';
import { formatBytes, formatInt, formatRate } from '../components/format';

export function StatsPanel() {
  const messages = useApp((s) => s.messages);
  const view = useApp((s) => s.view);
  const stats =
    [...messages].reverse().find((m) => m.role === 'assistant' && m.stats)?.stats ?? null;
  const totals = view?.map.totals;
  const rows: [string, string][] = [
    [
      'Prompt tokens',
      view ? formatInt(view.map.promptLength) : stats ? formatInt(stats.promptTokens) : '–',
    ],
    [
      'Kept tokens (all layers)',
      totals ? formatInt(totals.tokensKept) : stats ? formatInt(stats.keptTokens) : '–',
    ],
    [
      'KV memory',
      totals
        ? `${formatBytes(totals.compressedBytes)} of ${formatBytes(totals.fullBytes)} full`
        : stats
          ? `${formatBytes(stats.compressedKvBytes)} of ${formatBytes(stats.fullKvBytes)} full`
          : '–',
    ],
    ['Time to first token', stats ? `${formatInt(Math.round(stats.timeToFirstTokenMs))} ms` : '–'],
    ['Prefill', stats ? formatRate(stats.prefillTokensPerSecond) : '–'],
    ['Decode', stats ? formatRate(stats.decodeTokensPerSecond) : '–'],
    ['Execution provider', stats ? stats.provider : '–'],
  ];
  return (
    <section className="stats-panel" aria-label="Stats">
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {stats?.providerNote && <p className="notice">{stats.providerNote}</p>}
    </section>
  );
}
