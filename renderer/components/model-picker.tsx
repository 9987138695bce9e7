/**
 * Model picker (demo model by default) with what the chosen model is for (the demo model's
 * description), "Import model folder", calibration state and "Calibrate"; the execution
 * provider setting sits beside it.
 */
import { useId, useState } from 'react';
import { useApp, useStoreApi } from '../store/store-context';
import { EXECUTION_PROVIDERS, type ExecutionProvider } from '../../app/settings/settings';

const CALIBRATION_TEXT = {
  calibrated: 'Calibrated',
  missing: 'Not calibrated',
  running: 'Calibrating…',
  failed: 'Calibration failed',
} as const;

export function ModelPicker({ desktop }: { desktop: boolean }) {
  const models = useApp((s) => s.models);
  const settings = useApp((s) => s.settings);
  const selectModel = useApp((s) => s.selectModel);
  const importModel = useApp((s) => s.importModel);
  const calibrate = useApp((s) => s.calibrate);
  const setProvider = useApp((s) => s.setProvider);
  const store = useStoreApi();
  const [importing, setImporting] = useState(false);
  const [path, setPath] = useState('');
  const descriptionId = useId();
  const active = models.find((m) => m.id === settings?.activeModelId) ?? models[0] ?? null;

  const startImport = async () => {
    if (!desktop) {
      setImporting(true);
      return;
    }
    const picked = await store.getState().pickModelFolder();
    if (picked) await importModel(picked);
  };

  return (
    <section className="model-picker" aria-label="Model">
      <label className="field">
        <span>Model</span>
        <select
          aria-label="Model"
          aria-describedby={active?.description ? descriptionId : undefined}
          title={active?.description}
          value={active?.id ?? ''}
          onChange={(e) => void selectModel(e.target.value)}
        >
          {models.length === 0 && <option value="">No model available</option>}
          {models.map((m) => (
            <option key={m.id} value={m.id} title={m.description}>
              {m.name} ({m.family}, {m.numLayers} layers)
            </option>
          ))}
        </select>
      </label>
      {active?.description && (
        <p id={descriptionId} className="model-description muted">
          {active.description}
        </p>
      )}
      {active && (
        <p className="calibration">
          {CALIBRATION_TEXT[active.calibration]}
          {active.calibrationNote && <span className="muted"> — {active.calibrationNote}</span>}
        </p>
      )}
      <div className="buttons">
        <button type="button" onClick={() => void startImport()}>
          Import model folder
        </button>
        <button
          type="button"
          disabled={!active || active.calibration === 'running'}
          onClick={() => active && void calibrate(active.id)}
        >
          Calibrate
        </button>
      </div>
      {importing && (
        <form
          className="import-form"
          onSubmit={(e) => {
            e.preventDefault();
            setImporting(false);
            if (path.trim()) void importModel(path.trim());
          }}
        >
          <input
            aria-label="Model folder path on the host"
            placeholder="/path/to/hf-model-folder"
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit">Import</button>
          <button type="button" onClick={() => setImporting(false)}>
            Cancel
          </button>
        </form>
      )}
      <label className="field">
        <span>Execution provider</span>
        <select
          aria-label="Execution provider"
          value={settings?.executionProvider ?? 'auto'}
          onChange={(e) => void setProvider(e.target.value as ExecutionProvider)}
        >
          {EXECUTION_PROVIDERS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}
