/**
 * Where haystack text comes from: the project's generated filler (default) or a plain text file,
 * repeated when it is shorter than the context asks for.
 */
import { readFileSync } from 'node:fs';
import { KvLensError } from '../../../app/errors';
import { fillerSentences } from './filler-text';

export interface HaystackSource {
  /** Describes the source in results files ("generated filler, seed 3" / the file path). */
  label: string;
  /** At least `minChars` characters of haystack; a longer call extends a shorter one. */
  text(minChars: number): string;
}

/** The project's generated filler prose for a seed. */
export function generatedHaystack(seed: number): HaystackSource {
  let cache = '';
  return {
    label: `generated filler (seed ${seed})`,
    text(minChars) {
      if (cache.length < minChars) {
        cache = fillerSentences(seed, Math.max(minChars, 2 * cache.length)).join(' ');
      }
      return cache;
    },
  };
}

/** A plain text file as the haystack (whitespace runs collapsed, repeated as needed). */
export function fileHaystack(path: string): HaystackSource {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KvLensError(
      'not-found',
      `Cannot read the haystack file ${path}: ${(err as Error).message}`,
    );
  }
  const base = raw.replace(/\s+/g, ' ').trim();
  if (base.length < 20) {
    throw new KvLensError(
      'invalid-argument',
      `The haystack file ${path} has almost no text (${base.length} characters).`,
    );
  }
  return {
    label: path,
    text(minChars) {
      let out = base;
      while (out.length < minChars) out += ` ${base}`;
      return out;
    },
  };
}
