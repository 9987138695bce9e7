/**
 * The app's one store, built from slices around an API client.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../api/api-client';
import type { AppStore } from './store-types';
import { createSessionSlice } from './session-slice';
import { createDocumentSlice } from './document-slice';
import { createChatSlice } from './chat-slice';
import { createRetentionSlice } from './retention-slice';

/** Creates the store; every action goes through `api`. */
export function createAppStore(api: ApiClient): StoreApi<AppStore> {
  return createStore<AppStore>()((...a) => ({
    ...createSessionSlice(api)(...a),
    ...createDocumentSlice(api)(...a),
    ...createChatSlice(api)(...a),
    ...createRetentionSlice(api)(...a),
  }));
}
