/**
 * Opening documents: the file input (browser mode uploads the bytes to the host; desktop opens
 * by path or native dialog), drag-and-drop onto the window, and the list of open documents.
 */
import { useApp, useStoreApi } from '../store/store-context';

const ACCEPT = '.pdf,.txt,.md,.markdown,application/pdf,text/plain,text/markdown';

export function DocumentBar({ desktop }: { desktop: boolean }) {
  const documents = useApp((s) => s.documents);
  const activeId = useApp((s) => s.activeDocumentId);
  const openFile = useApp((s) => s.openFile);
  const openPath = useApp((s) => s.openPath);
  const selectDocument = useApp((s) => s.selectDocument);
  const closeDocument = useApp((s) => s.closeDocument);
  const store = useStoreApi();

  return (
    <div className="document-bar">
      {desktop ? (
        <button
          type="button"
          onClick={async () => {
            const path = await store.getState().pickDocument();
            if (path) await openPath(path);
          }}
        >
          Open document…
        </button>
      ) : (
        <label className="file-button">
          Open document…
          <input
            type="file"
            accept={ACCEPT}
            aria-label="Open document"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void openFile(file);
            }}
          />
        </label>
      )}
      {documents.length > 0 && (
        <select
          aria-label="Document"
          value={activeId ?? ''}
          onChange={(e) => void selectDocument(e.target.value)}
        >
          {documents.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.pages} {d.pages === 1 ? 'page' : 'pages'})
            </option>
          ))}
        </select>
      )}
      {activeId && (
        <button type="button" onClick={() => void closeDocument(activeId)}>
          Close document
        </button>
      )}
      <span className="muted hint">or drop a PDF, text or Markdown file anywhere</span>
    </div>
  );
}
