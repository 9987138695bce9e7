/**
 * "Compression method" select and "Cache budget" slider (log scale, 32..prompt length).
 * Dragging re-selects live; releasing (pointer up, or a pause after arrow keys) regenerates.
 */
import { useEffect, useRef } from 'react';
import { useApp } from '../store/store-context';
import {
  COMPRESSION_METHODS,
  MIN_BUDGET,
  isCompressionMethod,
} from '../../app/chat/compression-methods';
import { budgetAt, stepOf, STEPS } from './budget-scale';
import { formatInt } from './format';

const KEY_COMMIT_DELAY_MS = 600;
const FALLBACK_MAX = 4096;

export function CompressionControls() {
  const method = useApp((s) => s.method);
  const budget = useApp((s) => s.budget);
  const promptLength = useApp((s) => s.view?.map.promptLength ?? null);
  const setMethod = useApp((s) => s.setMethod);
  const setBudgetLive = useApp((s) => s.setBudgetLive);
  const commitBudget = useApp((s) => s.commitBudget);
  const keyTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const max = Math.max(MIN_BUDGET + 1, promptLength ?? FALLBACK_MAX);
  const full = method === 'full';

  useEffect(
    () => () => {
      if (keyTimer.current) clearTimeout(keyTimer.current);
    },
    [],
  );

  const commitSoon = () => {
    if (keyTimer.current) clearTimeout(keyTimer.current);
    keyTimer.current = setTimeout(() => void commitBudget(), KEY_COMMIT_DELAY_MS);
  };

  return (
    <div className="compression-controls">
      <label className="field">
        <span>Compression method</span>
        <select
          aria-label="Compression method"
          value={method}
          onChange={(e) => {
            if (isCompressionMethod(e.target.value)) void setMethod(e.target.value);
          }}
        >
          {COMPRESSION_METHODS.map((m) => (
            <option key={m.id} value={m.id} title={m.summary}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field budget">
        <span>
          Cache budget: <strong>{formatInt(Math.min(budget, max))}</strong> tokens per layer
          {promptLength !== null && <span className="muted"> of {formatInt(promptLength)}</span>}
        </span>
        <input
          type="range"
          aria-label="Cache budget"
          aria-valuetext={`${Math.min(budget, max)} tokens per layer`}
          min={0}
          max={STEPS}
          step={1}
          disabled={full}
          value={stepOf(budget, MIN_BUDGET, max)}
          onChange={(e) => setBudgetLive(budgetAt(Number(e.target.value), MIN_BUDGET, max))}
          onPointerUp={() => void commitBudget()}
          onKeyUp={(e) => {
            if (
              e.key.startsWith('Arrow') ||
              e.key === 'Home' ||
              e.key === 'End' ||
              e.key.startsWith('Page')
            ) {
              commitSoon();
            }
          }}
        />
      </label>
    </div>
  );
}
