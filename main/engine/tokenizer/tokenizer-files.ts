/**
 * Reads a model folder's tokenizer files (tokenizer.json, tokenizer_config.json,
 * generation_config.json, optional chat_template.jinja) with errors that name the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KvLensError } from '../../../app/errors';

export interface TokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** null when the folder has no generation_config.json (it is optional). */
  generationConfig: Record<string, unknown> | null;
  /** Contents of chat_template.jinja, where newer exports keep the template. */
  chatTemplateFile: string | null;
}

/** Parses a JSON object file; missing or corrupt files throw KvLensError naming the path. */
export function readJsonObject(path: string, optional: true): Record<string, unknown> | null;
export function readJsonObject(path: string, optional?: false): Record<string, unknown>;
export function readJsonObject(path: string, optional = false): Record<string, unknown> | null {
  if (!existsSync(path)) {
    if (optional) return null;
    throw new KvLensError(
      'not-found',
      `${path} is missing; a model folder needs tokenizer.json and tokenizer_config.json ` +
        'from the Hugging Face repository.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KvLensError(
      'corrupt',
      `${path} is not valid JSON (${(err as Error).message}); download it again.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KvLensError('corrupt', `${path} must hold a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

/** Reads every tokenizer-related file of a model folder. */
export function readTokenizerFiles(modelDir: string): TokenizerFiles {
  const templatePath = join(modelDir, 'chat_template.jinja');
  return {
    tokenizerJson: readJsonObject(join(modelDir, 'tokenizer.json')),
    tokenizerConfig: readJsonObject(join(modelDir, 'tokenizer_config.json')),
    generationConfig: readJsonObject(join(modelDir, 'generation_config.json'), true),
    chatTemplateFile: existsSync(templatePath) ? readFileSync(templatePath, 'utf8') : null,
  };
}

/** A special token entry of tokenizer_config.json: a string, {content: ...} or null. */
export function specialTokenText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'content' in value) {
    const content = (value as { content: unknown }).content;
    if (typeof content === 'string') return content;
  }
  return null;
}
