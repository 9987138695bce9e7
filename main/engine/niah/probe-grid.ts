/**
 * The (length, depth, needle) cells of a needle-in-a-haystack run, shared by the harness and the
 * calibration: deterministic for a seed, length-major, then depth, then needle.
 */
import { KvLensError } from '../../../app/errors';
import { generatedHaystack, type HaystackSource } from './haystack';
import { generateNeedle, type Needle } from './needles';
import { deriveSeed } from './seeded-random';

export interface GridCell {
  /** Stable id: `L<length>-D<depth>-<needle id>`. */
  id: string;
  length: number;
  depth: number;
  needle: Needle;
  haystack: HaystackSource;
}

export interface GridOptions {
  lengths: readonly number[];
  depths: readonly number[];
  /** Needles from a file: every one goes into every (length, depth) cell. */
  needles?: readonly Needle[];
  /** Generated needles per cell when no file is given (default 1; a new needle per cell). */
  needlesPerCell?: number;
  /** The haystack of every cell (a file); default the generated filler of `seed`. */
  haystack?: HaystackSource;
  seed: number;
}

/** Checks lengths (integers >= 16) and depths (in [0, 1]); throws a usage-level error. */
export function checkGridAxes(lengths: readonly number[], depths: readonly number[]): void {
  if (lengths.length === 0 || lengths.some((n) => !Number.isInteger(n) || n < 16)) {
    throw new KvLensError(
      'invalid-argument',
      `Lengths must be integers >= 16 tokens, got ${lengths.join(',')}.`,
    );
  }
  if (depths.length === 0 || depths.some((d) => !(d >= 0 && d <= 1))) {
    throw new KvLensError(
      'invalid-argument',
      `Depths must be numbers in [0, 1], got ${depths.join(',')}.`,
    );
  }
}

/** Every cell of the grid. */
export function probeGrid(o: GridOptions): GridCell[] {
  checkGridAxes(o.lengths, o.depths);
  const cells: GridCell[] = [];
  const perCell = o.needlesPerCell ?? 1;
  // One haystack for the whole grid, as in the usual NIAH figures: cells differ only in
  // length, depth and needle.
  const haystack = o.haystack ?? generatedHaystack(o.seed);
  o.lengths.forEach((length, li) => {
    o.depths.forEach((depth, di) => {
      const needles =
        o.needles ??
        Array.from({ length: perCell }, (_, k) =>
          generateNeedle(deriveSeed(o.seed, li, di, k) % 1_000_000),
        );
      needles.forEach((needle) => {
        cells.push({ id: `L${length}-D${depth}-${needle.id}`, length, depth, needle, haystack });
      });
    });
  });
  return cells;
}
