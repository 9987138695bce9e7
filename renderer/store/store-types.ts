/**
 * The store's shape: one zustand store built from slices (session, documents, chat,
 * retention). Each slice owns its state and the actions that call the API.
 */
import type { StateCreator } from 'zustand';
import type { SessionSlice } from './session-slice';
import type { DocumentSlice } from './document-slice';
import type { ChatSlice } from './chat-slice';
import type { RetentionSlice } from './retention-slice';

export type AppStore = SessionSlice & DocumentSlice & ChatSlice & RetentionSlice;

export type SliceCreator<T> = StateCreator<AppStore, [], [], T>;
