/**
 * Renderer entry: connect to the main side, build the store, render the app.
 */
import { createRoot } from 'react-dom/client';
import { connectApi } from './api/connect';
import { createAppStore } from './store/app-store';
import { StoreProvider } from './store/store-context';
import { App } from './components/app';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

try {
  const api = connectApi(window);
  const store = createAppStore(api);
  void store.getState().init();
  createRoot(root).render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
} catch (err) {
  // Without a connection there is no app to show: say why instead of a blank window.
  const p = document.createElement('p');
  p.className = 'banner error';
  p.setAttribute('role', 'alert');
  p.textContent = err instanceof Error ? err.message : String(err);
  root.replaceChildren(p);
}
