/**
 * Progress bars with counts and ETA for every running task, each with Cancel.
 */
import { useApp } from '../store/store-context';
import { formatEta, formatInt } from './format';

export function ProgressList() {
  const progress = useApp((s) => s.progress);
  const cancelTask = useApp((s) => s.cancelTask);
  const items = Object.values(progress);
  if (items.length === 0) return null;
  return (
    <ul className="progress-list" aria-label="Running tasks">
      {items.map((p) => (
        <li key={p.taskId}>
          <span className="label">{p.label}</span>
          <progress
            aria-label={p.label}
            max={p.total > 0 ? p.total : undefined}
            value={p.total > 0 ? p.done : undefined}
          />
          <span className="count">
            {p.total > 0
              ? `${formatInt(p.done)} of ${formatInt(p.total)} ${p.unit}`
              : `${formatInt(p.done)} ${p.unit}`}{' '}
            {formatEta(p.etaMs)}
          </span>
          <button type="button" onClick={() => void cancelTask(p.taskId)}>
            Cancel
          </button>
        </li>
      ))}
    </ul>
  );
}
