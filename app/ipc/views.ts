/**
 * Plain-data views the main side sends to the renderer (everything here crosses IPC or a
 * WebSocket, so no classes, functions or handles).
 */
import type { Settings } from '../settings/settings';
import type { ConversationSummary } from '../chat/chat-types';

export type AppMode = 'desktop' | 'browser';

export interface DocumentSummary {
  id: string;
  name: string;
  kind: 'pdf' | 'text' | 'markdown';
  pages: number;
  chars: number;
  bytes: number;
  warnings: string[];
  openedAt: number;
}

/** The document text for the reading panel; pageStarts[i] = char offset where page i begins. */
export interface DocumentContent {
  id: string;
  text: string;
  pageStarts: number[];
}

/**
 * One page's layout for drawing retention on the rendered PDF page: the page's place in the
 * document text and a box per character (see PageInput in app/documents/document.ts).
 */
export interface PageLayout {
  /** 0-based page index. */
  page: number;
  /** Offset of the page's first character in the document text, and its length. */
  start: number;
  textLength: number;
  /** Displayed size in PDF units (after rotation). */
  width: number;
  height: number;
  /** x, y, w, h per character in PDF units, top-left origin; null without a page layout. */
  boxes: Float32Array | null;
  vertical: boolean;
}

export type CalibrationState = 'calibrated' | 'missing' | 'running' | 'failed';

export interface ModelInfo {
  id: string;
  name: string;
  /** Folder on the host that holds config.json and the weights. */
  dir: string;
  family: string;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  contextLength: number;
  isDefault: boolean;
  calibration: CalibrationState;
  /** Readable note, e.g. why CompressKV runs in its fallback. */
  calibrationNote: string | null;
  /**
   * What the model is (and is not) for, shown as visible text beside the model wherever it is
   * picked or named; set for the bundled demo model, absent for imported models.
   */
  description?: string;
}

export type ProgressKind = 'ingest' | 'prefill' | 'graph' | 'load' | 'calibrate';

/** One progress report of a long task; `total` 0 means not yet known. */
export interface Progress {
  taskId: string;
  kind: ProgressKind;
  label: string;
  done: number;
  total: number;
  unit: string;
  /** Estimated milliseconds left, null until there is enough to estimate. */
  etaMs: number | null;
  finished: boolean;
}

export interface AppState {
  version: string;
  mode: AppMode;
  settings: Settings;
  models: ModelInfo[];
  documents: DocumentSummary[];
  conversations: ConversationSummary[];
  /** Features this build cannot serve yet, with the reason (shown, never hidden). */
  unavailable: { feature: string; reason: string }[];
  /** Things the user should know once (e.g. a damaged library moved aside at start-up). */
  notices: string[];
}
