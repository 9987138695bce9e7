/**
 * The on-disk cache of built graphs, one folder per checkpoint content hash and builder version.
 *
 * A graph is built into a temporary sibling folder and renamed into place only when complete, so
 * a killed build never leaves a half graph under the key. An entry with a missing or unreadable
 * file is rebuilt.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KvLensError } from '../../app/errors';
import type { GraphManifest } from '../../app/model/graph-contract';
import { openCheckpoint } from '../checkpoint/open-checkpoint';
import {
  DATA_FILE,
  GRAPH_BUILDER_VERSION,
  MANIFEST_FILE,
  ONNX_FILE,
  buildModelGraph,
  type ProgressCallback,
} from './build-model-graph';
import { hashCheckpointFiles } from './hash-checkpoint';
import { stderrProgressPrinter } from './progress-printer';

export interface GraphCacheOptions {
  /** Default: $KV_LENS_CACHE_DIR, else ~/.cache/kv-lens. */
  cacheDir?: string;
  /** Default: lines on stderr. */
  onProgress?: ProgressCallback;
}

export interface CachedGraph {
  onnxPath: string;
  manifest: GraphManifest;
  /** True when this call built the graph (false on a cache hit). */
  built: boolean;
}

/** Remembered per-file content hashes (file-hash-cache.ts), at the cache root. */
export const FILE_HASHES = 'file-hashes.json';

/** The cache root used when no cacheDir is given. */
export function defaultCacheDir(): string {
  return process.env.KV_LENS_CACHE_DIR || join(homedir(), '.cache', 'kv-lens');
}

/** The manifest of a complete entry for `hash`, or null when anything is missing or stale. */
function readEntry(dir: string, hash: string): GraphManifest | null {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as GraphManifest;
    if (manifest.builderVersion !== GRAPH_BUILDER_VERSION || manifest.checkpointHash !== hash)
      return null;
    for (const f of [ONNX_FILE, DATA_FILE]) if (statSync(join(dir, f)).size === 0) return null;
    return manifest;
  } catch {
    return null;
  }
}

/** Turns file-system failures of the cache folder into errors a user can act on. */
function cacheError(err: unknown, graphsDir: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC') {
    return new KvLensError(
      'too-large',
      `Not enough disk space to build the model graph in ${graphsDir}; free some space or set KV_LENS_CACHE_DIR to another disk.`,
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR') {
    return new KvLensError(
      'invalid-argument',
      `The graph cache folder ${graphsDir} cannot be written (${code}); set KV_LENS_CACHE_DIR to a writable folder.`,
    );
  }
  return err;
}

/** Removes temp folders of this key left by builds whose process is gone. */
async function removeAbandonedBuilds(graphsDir: string, key: string): Promise<void> {
  if (!existsSync(graphsDir)) return;
  for (const name of readdirSync(graphsDir)) {
    const m = new RegExp(`^${key}\\.tmp-(\\d+)-`).exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      await rm(join(graphsDir, name), { recursive: true, force: true });
    }
  }
}

/**
 * Returns the ONNX graph of the model folder `modelDir`, building and caching it on first use.
 *
 * The key is the sha256 of the checkpoint files' contents plus the builder version, so editing a
 * weight or upgrading the builder builds anew. File hashes are remembered by (path, size, mtime),
 * so a later load of an unchanged checkpoint reads none of its bytes.
 */
export async function buildOrLoadGraph(
  modelDir: string,
  options: GraphCacheOptions = {},
): Promise<CachedGraph> {
  const onProgress = options.onProgress ?? stderrProgressPrinter();
  const cacheRoot = options.cacheDir ?? defaultCacheDir();
  const graphsDir = join(cacheRoot, 'graphs');
  const ckpt = openCheckpoint(modelDir);
  try {
    const hash = await hashCheckpointFiles(ckpt.files, onProgress, {
      cacheFile: join(cacheRoot, FILE_HASHES),
    });
    const key = `${hash}-b${GRAPH_BUILDER_VERSION}`;
    const entry = join(graphsDir, key);
    const cached = readEntry(entry, hash);
    if (cached) return { onnxPath: join(entry, ONNX_FILE), manifest: cached, built: false };

    await removeAbandonedBuilds(graphsDir, key).catch((err: unknown) => {
      throw cacheError(err, graphsDir);
    });
    const tmp = `${entry}.tmp-${process.pid}-${Date.now()}`;
    try {
      const manifest = await buildModelGraph(ckpt, tmp, onProgress, { checkpointHash: hash });
      await rm(entry, { recursive: true, force: true });
      await rename(tmp, entry);
      return { onnxPath: join(entry, ONNX_FILE), manifest, built: true };
    } catch (err) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      // Another process may have completed the same entry between our check and rename.
      const raced = readEntry(entry, hash);
      if (raced) return { onnxPath: join(entry, ONNX_FILE), manifest: raced, built: false };
      throw cacheError(err, graphsDir);
    }
  } finally {
    ckpt.dispose();
  }
}
