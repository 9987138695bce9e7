/**
 * Small argument checkers for values that arrive from the renderer. Each returns the value with
 * its checked type or throws KvLensError('invalid-argument') naming the field and what is allowed.
 */
import { KvLensError } from '../errors';

export type Record_ = Record<string, unknown>;

/** Fails with a message that names the channel and field. */
export function invalid(where: string, message: string): never {
  throw new KvLensError('invalid-argument', `${where}: ${message}`);
}

/** The value must be a plain object (not null, not an array). */
export function object(where: string, value: unknown): Record_ {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(where, `expected an object, got ${describe(value)}.`);
  }
  return value as Record_;
}

/** Rejects keys the contract does not define, so typos fail loudly instead of being ignored. */
export function onlyKeys(where: string, value: Record_, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const list = allowed.length > 0 ? allowed.join(', ') : 'none';
      invalid(where, `unknown field "${key}" (allowed: ${list}).`);
    }
  }
}

/** A string of 1..maxLength characters (after no trimming: the caller decides). */
export function string(where: string, value: unknown, maxLength: number, minLength = 1): string {
  if (typeof value !== 'string') invalid(where, `expected a string, got ${describe(value)}.`);
  if (value.length < minLength) invalid(where, `must not be empty.`);
  if (value.length > maxLength) {
    invalid(where, `is ${value.length} characters long; the limit is ${maxLength}.`);
  }
  return value;
}

/** An identifier: letters, digits, '-', '_', '.', ':' only, at most 128 characters. */
export function id(where: string, value: unknown): string {
  const s = string(where, value, 128);
  if (!/^[A-Za-z0-9._:-]+$/.test(s)) {
    invalid(where, `"${s.slice(0, 40)}" is not an id (letters, digits, . _ : - only).`);
  }
  return s;
}

/** An integer within [min, max]. */
export function integer(where: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    invalid(where, `expected an integer, got ${describe(value)}.`);
  }
  if (value < min || value > max) invalid(where, `${value} is outside ${min}..${max}.`);
  return value;
}

export function boolean(where: string, value: unknown): boolean {
  if (typeof value !== 'boolean') invalid(where, `expected true or false, got ${describe(value)}.`);
  return value;
}

/** One of a fixed list of strings. */
export function oneOf<T extends string>(where: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(where, `${describe(value)} is not one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** Either null or what `check` accepts. */
export function nullable<T>(value: unknown, check: (v: unknown) => T): T | null {
  return value === null ? null : check(value);
}

/** Short description of a bad value for an error message (never the whole value). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
