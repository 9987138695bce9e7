/**
 * The last error as a readable message; the app keeps running underneath.
 */
import { useApp } from '../store/store-context';

export function ErrorBanner() {
  const error = useApp((s) => s.error);
  const dismiss = useApp((s) => s.dismissError);
  const connection = useApp((s) => s.connection);
  return (
    <>
      {connection === 'closed' && (
        <p className="banner error" role="alert">
          Lost the connection to the KV Lens host. Check that it is still running, then reload.
        </p>
      )}
      {error && (
        <div className="banner error" role="alert">
          <span>{error}</span>
          <button type="button" aria-label="Dismiss error" onClick={dismiss}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
