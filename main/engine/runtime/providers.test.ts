import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvLensError } from '../../../app/errors';
import { prefill } from '../generation/prefill';
import { ModelSession } from './model-session';
import { autoOrder, createSession, firstLine, supportedBackends } from './providers';
import { openTestModel, relativeError, type TestModel } from './test-model';

// The machines this project is tested on have no GPU (architecture.md); on a Linux box without
// /dev/dri no WebGPU adapter can exist, so the fallback is certain there.
const noGpuHere = process.platform === 'linux' && !existsSync('/dev/dri');
const ids = [3, 14, 15, 92, 65];

describe('execution providers', () => {
  let m: TestModel;
  let cpuLogits: Float32Array;
  beforeAll(async () => {
    m = await openTestModel('qwen3');
    const cache = m.session.emptyCache();
    cpuLogits = (await prefill(m.session, cache, ids)).logits;
    cache.dispose();
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('cpu is the default and reports no fallback', async () => {
    const { session, report } = await createSession(m.onnxPath);
    expect(report).toEqual({ provider: 'cpu', requested: 'cpu' });
    await session.release();
  });

  it('webgpu without a GPU adapter falls back to CPU with the reason, and still runs', async () => {
    const s = await ModelSession.open(m.onnxPath, m.spec, { provider: 'webgpu' });
    try {
      expect(s.report.requested).toBe('webgpu');
      if (noGpuHere || s.report.provider === 'cpu') {
        expect(s.report.provider).toBe('cpu');
        expect(s.report.fallbackReason).toMatch(/^webgpu: .+/);
        expect(s.report.fallbackReason).toMatch(/adapter|webgpu/i);
      } else {
        expect(s.report.provider).toBe('webgpu');
        expect(s.report.fallbackReason).toBeUndefined();
      }
      const cache = s.emptyCache();
      const out = await prefill(s, cache, ids);
      cache.dispose();
      expect(relativeError(out.logits, cpuLogits)).toBeLessThan(1e-3);
    } finally {
      await s.dispose();
    }
  });

  it('a provider missing from this build falls back with the list of what exists', async () => {
    const missing = process.platform === 'win32' ? 'coreml' : 'dml';
    expect(supportedBackends()).not.toContain(missing);
    const { session, report } = await createSession(m.onnxPath, { provider: missing });
    expect(report.provider).toBe('cpu');
    expect(report.fallbackReason).toMatch(
      new RegExp(`^${missing}: not available .*available: .*cpu`),
    );
    await session.release();
  });

  it('auto tries the platform GPU providers in order, then CPU', async () => {
    expect(autoOrder('linux')).toEqual(['cuda', 'webgpu']);
    expect(autoOrder('win32')).toEqual(['cuda', 'dml', 'webgpu']);
    expect(autoOrder('darwin')).toEqual(['coreml', 'webgpu']);
    const { session, report } = await createSession(m.onnxPath, { provider: 'auto' });
    expect(report.requested).toBe('auto');
    if (noGpuHere) {
      expect(report.provider).toBe('cpu');
      expect(report.attempts?.map((a) => a.provider)).toEqual(autoOrder());
    }
    if (report.provider === 'cpu') expect(report.fallbackReason).toBeTruthy();
    await session.release();
  });

  // ORT's environment, and its log level, is made once per process by the first session, so
  // the check runs in a fresh process whose first session is auto's CUDA attempt.
  it.skipIf(!supportedBackends().includes('cuda') || !noGpuHere)(
    "auto on a machine without CUDA's libraries does not print ORT's own error log",
    () => {
      const script = [
        `import { createSession } from ${JSON.stringify(join(__dirname, 'providers.ts'))};`,
        `const { session, report } = await createSession(${JSON.stringify(m.onnxPath)}, { provider: 'auto' });`,
        `console.log(JSON.stringify(report));`,
        `await session.release();`,
      ].join('\n');
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          encoding: 'utf8',
          cwd: join(__dirname, '../../..'),
        },
      );
      expect(run.status, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}');
      expect(report.provider).toBe('cpu');
      expect(report.fallbackReason).toMatch(/^cuda: /);
      expect(run.stderr).not.toMatch(/\[E:onnxruntime/);
    },
  );

  it('rejects an unknown provider name, listing the allowed ones', async () => {
    const bad = createSession(m.onnxPath, { provider: 'tpu' as never });
    await expect(bad).rejects.toBeInstanceOf(KvLensError);
    await expect(bad).rejects.toThrow(/cpu, auto, cuda, dml, coreml, webgpu/);
  });

  it('a file that is not a graph fails with a provider error naming the file', async () => {
    await expect(createSession(`${m.dir}/config.json`)).rejects.toThrow(/config\.json/);
  });

  it('strips ORT source locations from error messages', () => {
    const raw =
      '/onnxruntime_src/x/webgpu_context.cc:136 lambda()> status == Success was false. Failed to get a WebGPU adapter: No supported adapters';
    expect(firstLine(new Error(raw))).toBe('Failed to get a WebGPU adapter: No supported adapters');
  });

  it('a disposed session refuses to run', async () => {
    const s = await ModelSession.open(m.onnxPath, m.spec);
    await s.dispose();
    await expect(
      s.run({ inputIds: [1], positionIds: [0], cache: m.session.emptyCache() }),
    ).rejects.toThrow(/after dispose/);
  });
});
