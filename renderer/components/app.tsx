/**
 * The window: documents on the left (retention heatmap), chat and controls on the right.
 * Files dropped anywhere are opened; Escape stops a running answer.
 */
import { useEffect, useState } from 'react';
import { useApp } from '../store/store-context';
import { DocumentBar } from './document-bar';
import { DocumentPanel } from '../heatmap/document-panel';
import { ChatPanel } from '../chat/chat-panel';
import { CompressionControls } from './compression-controls';
import { StatsPanel } from '../chat/stats-panel';
import { ModelPicker } from './model-picker';
import { ProgressList } from './progress-list';
import { ErrorBanner } from './error-banner';
import { PasswordForm } from './password-form';

const NONE: { feature: string; reason: string }[] = [];
const NO_NOTICES: string[] = [];

export function App() {
  const desktop = useApp((s) => s.mode === 'desktop');
  const openFile = useApp((s) => s.openFile);
  const generating = useApp((s) => s.generating);
  const stop = useApp((s) => s.stop);
  const unavailable = useApp((s) => s.app?.unavailable ?? NONE);
  const notices = useApp((s) => s.app?.notices ?? NO_NOTICES);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && generating) void stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [generating, stop]);

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer.files[0];
        if (file) void openFile(file);
      }}
    >
      <header className="app-header">
        <h1>KV Lens</h1>
        <DocumentBar desktop={desktop} />
      </header>
      <ErrorBanner />
      <PasswordForm />
      {notices.map((n) => (
        <p key={n} className="banner notice-banner" role="status">
          {n}
        </p>
      ))}
      <ProgressList />
      {unavailable.length > 0 && (
        <details className="unavailable">
          <summary>
            {unavailable.length === 1
              ? '1 feature is not available in this build'
              : `${unavailable.length} features are not available in this build`}
          </summary>
          <ul>
            {unavailable.map((u) => (
              <li key={u.feature}>{u.reason}</li>
            ))}
          </ul>
        </details>
      )}
      <main className="workspace">
        <DocumentPanel />
        <aside className="side">
          <CompressionControls />
          <ChatPanel />
          <StatsPanel />
          <ModelPicker desktop={desktop} />
        </aside>
      </main>
    </div>
  );
}
