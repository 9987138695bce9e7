/**
 * Provides the store to components (tests pass their own) and a typed selector hook.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { AppStore } from './store-types';

const StoreContext = createContext<StoreApi<AppStore> | null>(null);

export function StoreProvider({
  store,
  children,
}: {
  store: StoreApi<AppStore>;
  children: ReactNode;
}) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** The store itself, for subscribe-based drawing outside React renders. */
export function useStoreApi(): StoreApi<AppStore> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStoreApi outside StoreProvider');
  return store;
}

/** Selects from the store; re-renders only when the selected value changes. */
export function useApp<T>(selector: (s: AppStore) => T): T {
  return useStore(useStoreApi(), selector);
}
