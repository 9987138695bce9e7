/**
 * Minimal `--flag value` parser for the CLI, strict about unknown flags.
 *
 * Every command declares its flags; anything else is a usage error (exit 2) that lists the
 * allowed flags.
 */
import { KvLensError } from '../../app/errors';

export interface FlagSpec {
  /** Flags that take a value: `--model DIR`. */
  values?: readonly string[];
  /** Boolean flags: `--json`. */
  booleans?: readonly string[];
  /** Value flags that must be present. */
  required?: readonly string[];
}

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  booleans: Set<string>;
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const valueFlags = new Set(spec.values ?? []);
  const boolFlags = new Set(spec.booleans ?? []);
  const out: ParsedArgs = { positionals: [], values: new Map(), booleans: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (boolFlags.has(name)) {
      out.booleans.add(name);
    } else if (valueFlags.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new KvLensError('usage', `--${name} needs a value.`);
      out.values.set(name, value);
    } else {
      const allowed = [...valueFlags, ...boolFlags].map((f) => `--${f}`).join(', ');
      throw new KvLensError('usage', `Unknown flag ${arg}. Allowed: ${allowed || '(none)'}.`);
    }
  }
  for (const name of spec.required ?? []) {
    if (!out.values.has(name)) throw new KvLensError('usage', `--${name} is required.`);
  }
  return out;
}

/** Reads an integer flag, with bounds, or returns the fallback when absent. */
export function intFlag(
  args: ParsedArgs,
  name: string,
  fallback: number,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new KvLensError(
      'usage',
      `--${name} must be an integer in [${min}, ${max}], got "${raw}".`,
    );
  }
  return n;
}

/** Reads a number flag or returns the fallback when absent. */
export function numberFlag(args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n))
    throw new KvLensError('usage', `--${name} must be a number, got "${raw}".`);
  return n;
}

/** Parses "1,2,3" into integers (token ids, budgets, lengths). */
export function intListFlag(args: ParsedArgs, name: string): number[] | undefined {
  return listFlag(args, name, Number.isInteger, 'integers');
}

/** Parses "0,0.25,1" into numbers. */
export function numberListFlag(args: ParsedArgs, name: string): number[] | undefined {
  return listFlag(args, name, Number.isFinite, 'numbers');
}

function listFlag(
  args: ParsedArgs,
  name: string,
  ok: (n: number) => boolean,
  what: string,
): number[] | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  const parts = raw.split(',').filter((s) => s.trim() !== '');
  const nums = parts.map(Number);
  if (parts.length === 0 || !nums.every(ok)) {
    throw new KvLensError(
      'usage',
      `--${name} must be a comma-separated list of ${what}, got "${raw}".`,
    );
  }
  return nums;
}

/** Reads one of a fixed set of choices. */
export function choiceFlag<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new KvLensError('usage', `--${name} must be one of ${choices.join('|')}, got "${raw}".`);
  }
  return raw as T;
}
