/**
 * "Kept N of M tokens (P%)" for all layers (average per layer) or the selected layer.
 */
import { useApp } from '../store/store-context';
import { keptSummary } from '../../app/ipc/retention-view';
import { formatInt } from '../components/format';

export function KeptLine() {
  const view = useApp((s) => s.view);
  const layer = useApp((s) => s.layer);
  if (!view) {
    return <p className="kept-line muted">Ask a question to see which tokens the cache keeps.</p>;
  }
  const { kept, total, percent } = keptSummary(view.map, layer);
  return (
    <p className="kept-line" aria-live="polite">
      Kept {formatInt(kept)} of {formatInt(total)} tokens ({percent.toFixed(1)}%)
      {layer === null ? ' per layer on average' : ` in layer ${layer + 1}`}
    </p>
  );
}
