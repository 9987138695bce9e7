/** Reads a JSON file of a model folder with errors that name the file and what is wrong. */
import fs from 'node:fs';
import { KvLensError } from '../../app/errors';

/** Parses `file`; a missing or malformed file is KvLensError('invalid-checkpoint'). */
export function readJsonFile(file: string, where: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new KvLensError('invalid-checkpoint', `${file} is missing from ${where}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new KvLensError(
      'invalid-checkpoint',
      `${file} is not valid JSON: ${(err as Error).message}.`,
    );
  }
}
