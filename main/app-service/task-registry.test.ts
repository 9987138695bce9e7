import { describe, it, expect } from 'vitest';
import { TaskRegistry } from './task-registry';
import type { Progress } from '../../app/ipc/views';

describe('task registry', () => {
  it('reports progress with an ETA per phase and a final report', async () => {
    const tasks = new TaskRegistry();
    const seen: Progress[] = [];
    await tasks.run(
      't1',
      'ingest',
      'Reading a.pdf',
      'pages',
      (p) => seen.push(p),
      async (task) => {
        task.progress(0, 10);
        await new Promise((r) => setTimeout(r, 30));
        task.progress(5, 10);
        task.progress(1, 3, 'Next phase', 'probes');
        task.progress(2, 3, undefined, undefined, 1234);
      },
    );
    const [first, half, phase2, given, last] = seen.slice(1);
    expect(first).toMatchObject({ done: 0, total: 10, etaMs: null });
    expect(half!.etaMs).toBeGreaterThan(10);
    // A new phase's first report has no rate yet: no ETA rather than a made-up one.
    expect(phase2).toMatchObject({ label: 'Next phase', unit: 'probes', etaMs: null });
    expect(given).toMatchObject({ etaMs: 1234 });
    expect(last).toMatchObject({ finished: true, etaMs: null });
  });

  it('cancels a running task by id and reports when there is none', async () => {
    const tasks = new TaskRegistry();
    const running = tasks.run(
      't2',
      'prefill',
      'Answering',
      'tokens',
      () => {},
      async (task) => {
        await new Promise((r) => setTimeout(r, 10));
        task.throwIfCancelled();
        return 'finished';
      },
    );
    expect(tasks.cancel('t2')).toBe(true);
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(tasks.cancel('t2')).toBe(false);
  });
});
