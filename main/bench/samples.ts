/**
 * `npm run bench -- samples [--method M] [--budget N] [--max-new-tokens N] [--model DIR|default]
 *  [--docs name,...] [--dir DIR]`
 *
 * Does the app answer questions about its sample PDFs (assets/samples/<name>.pdf, with the
 * questions and answers in <name>.json) at its default compression setting? Every question is
 * asked through the app's own request path (samples-run.ts: document:open, then chat:ask with
 * greedy decoding) at the app's default method and budget (the stored settings' defaults,
 * main/store/repositories/settings-rules.ts; --method/--budget override them) and at the full
 * cache. A reply is right when it contains the expected answer (samples-score.ts). Tables go to
 * stderr, the figures and every reply to bench-results/samples.json. Answers need a trained
 * model: whatever folder the model is, the benchmark reports what it answers. --dir runs another
 * folder laid out the same way (e.g. held-out documents from `trainer.sample_docs --held-out`)
 * and writes bench-results/samples-<folder name>.json.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KvLensError } from '../../app/errors';
import { machineInfo, writeBenchResult } from './bench-results';
import { appDefaultSetting, parseSamplesArgs, pickDocs } from './samples-args';
import { listSamples } from './samples-meta';
import { runSamples } from './samples-run';
import { tally } from './samples-score';
import { documentTable, rightOf, timingTable, totalsTable } from './samples-table';

/** Runs the benchmark; returns what it wrote to bench-results/samples.json. */
export async function runSamplesBench(argv: readonly string[]): Promise<unknown> {
  const options = parseSamplesArgs(argv);
  const docs = pickDocs(listSamples(options.dir), options.docs);
  if (docs.length === 0) {
    throw new KvLensError(
      'not-found',
      `${options.dir} holds no samples (a document with a <name>.json of its questions beside it).`,
    );
  }
  if (!existsSync(join(options.modelDir, 'config.json'))) {
    throw new KvLensError(
      'not-found',
      `${options.modelDir} has no config.json; --model takes a Hugging Face model folder or "default".`,
    );
  }
  const log = (m: string) => process.stderr.write(`[samples] ${m}\n`);
  const print = (lines: string[]) => process.stderr.write(`${lines.join('\n')}\n`);
  const weights = describeWeights(options.modelDir);
  log(
    `${docs.length} document(s); ${options.method} @ ${options.budget} and full cache; greedy, at most ${options.maxNewTokens} new tokens`,
  );

  const run = await runSamples({ ...options, docs, log });
  for (const doc of run.documents) {
    print([
      '',
      `${doc.name}: "${doc.title}", ${doc.pages} pages, ${doc.chars} chars`,
      ...documentTable(doc, run.settings),
      run.settings
        .map((s) => `${s.label}: ${rightOf(tally(doc.questions, s.id))} right`)
        .join('; '),
    ]);
    for (const w of [...doc.ingestWarnings, ...doc.selectionWarnings]) log(`note: ${w}`);
  }
  print([
    '',
    ...totalsTable(run.documents, run.settings),
    '',
    ...timingTable(run.documents, run.settings),
  ]);

  const all = run.documents.flatMap((d) => d.questions);
  const report = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    path: 'AppService.dispatch: settings:set, document:open (host path), chat:ask (new conversation per question)',
    appDefault: appDefaultSetting(),
    options: {
      method: options.method,
      budget: options.budget,
      maxNewTokens: options.maxNewTokens,
      dir: options.dir,
      docs: docs.map((d) => d.name),
      decoding: 'greedy',
    },
    model: { ...run.model, weights },
    provider: all[0]?.answers.full.provider ?? null,
    settings: run.settings,
    totals: Object.fromEntries(run.settings.map((s) => [s.id, tally(all, s.id)])),
    processMaxRssBytes: process.resourceUsage().maxRSS * 1024,
    documents: run.documents,
  };
  const out = writeBenchResult(options.resultsFile, report);
  log(`wrote ${out}`);
  return report;
}

/**
 * Which weights were measured (the demo model's folder is replaced when it is retrained): the
 * config's shape and the safetensors files' size and time.
 */
function describeWeights(dir: string): Record<string, unknown> {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const keys = [
    'model_type',
    'hidden_size',
    'num_hidden_layers',
    'num_attention_heads',
    'num_key_value_heads',
    'head_dim',
    'vocab_size',
    'max_position_embeddings',
  ];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.safetensors'))
    .map((f) => {
      const s = statSync(join(dir, f));
      return { file: f, bytes: s.size, modified: s.mtime.toISOString() };
    });
  return { config: Object.fromEntries(keys.map((k) => [k, config[k] ?? null])), files };
}
