/**
 * The reading panel: a region named "Retention heatmap" with the layer selector, legend, kept
 * line, layers x positions overview and the tinted, virtualised document text; a PDF can also
 * be read as its pages, tinted the same way.
 */
import { useRef, useState } from 'react';
import { useApp } from '../store/store-context';
import { HeatmapText, type JumpToChar } from './heatmap-text';
import { LayerOverview } from './layer-overview';
import { HeatmapLegend } from './heatmap-legend';
import { KeptLine } from './kept-line';
import { PdfPageView } from '../pdf/pdf-page-view';

export function DocumentPanel() {
  const content = useApp((s) => s.content);
  const view = useApp((s) => s.view);
  const layer = useApp((s) => s.layer);
  const setLayer = useApp((s) => s.setLayer);
  const warnings = view?.warnings ?? [];
  const layers = view?.map.layerCount ?? 0;
  const jumpRef = useRef<JumpToChar | null>(null);
  const summary = useApp((s) => s.documents.find((d) => d.id === s.activeDocumentId) ?? null);
  const [mode, setMode] = useState<'text' | 'page'>('text');
  const pdf = summary?.kind === 'pdf' ? summary : null;

  return (
    <section className="document-panel" role="region" aria-label="Retention heatmap">
      <div className="heatmap-toolbar">
        <label>
          Layer{' '}
          <select
            aria-label="Layer"
            value={layer === null ? 'all' : String(layer)}
            disabled={!view}
            onChange={(e) => setLayer(e.target.value === 'all' ? null : Number(e.target.value))}
          >
            <option value="all">All layers</option>
            {Array.from({ length: layers }, (_, l) => (
              <option key={l} value={l}>
                Layer {l + 1}
              </option>
            ))}
          </select>
        </label>
        {pdf && (
          <div role="group" aria-label="Document view" className="view-switch">
            <button aria-pressed={mode === 'text'} onClick={() => setMode('text')}>
              Text
            </button>
            <button aria-pressed={mode === 'page'} onClick={() => setMode('page')}>
              Pages
            </button>
          </div>
        )}
        <KeptLine />
      </div>
      {view && <HeatmapLegend layers={layers} single={layer !== null} />}
      {view && <LayerOverview jump={(offset) => jumpRef.current?.(offset)} />}
      {warnings.map((w) => (
        <p key={w} className="notice">
          {w}
        </p>
      ))}
      {content && pdf && mode === 'page' ? (
        <PdfPageView documentId={pdf.id} pages={pdf.pages} jumpRef={jumpRef} />
      ) : content ? (
        <HeatmapText jumpRef={jumpRef} />
      ) : (
        <p className="empty">Open a PDF, text or Markdown file to start.</p>
      )}
    </section>
  );
}
