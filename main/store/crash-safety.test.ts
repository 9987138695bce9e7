import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from './open-store';
import { useTempDirs } from './testing/temp-dirs';

const tempDir = useTempDirs();
const WRITER = fileURLToPath(new URL('./testing/crash-writer.ts', import.meta.url));

interface Report {
  id: string;
  text: string;
  status: string;
}

/** Runs the writer until it has reported `writes` committed writes, then SIGKILLs it. */
// The writer reports 12 writes per finished answer (question, 10 flushes, done) for 3 answers,
// then streams forever; 60 lands the kill inside the endless answer's stream.
function runAndKill(path: string, writes: number): Promise<Report[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reports: Report[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) reports.push(JSON.parse(line) as Report);
      if (reports.length >= writes && child.exitCode === null && !child.killed)
        child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(reports);
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

describe('crash safety', () => {
  it('keeps every committed write when the writing process is killed mid-stream', async () => {
    const path = join(tempDir(), 'kv-lens.sqlite');
    const reports = await runAndKill(path, 60);
    // The last report per message is the least that must be on disk.
    const latest = new Map<string, Report>();
    for (const r of reports) latest.set(r.id, r);

    const store = openStore(path);
    expect(store.corruption).toBeNull();
    const conversations = store.conversations.list();
    expect(conversations).toHaveLength(1);
    const messages = store.messages.list(conversations[0]!.id);
    const byId = new Map(messages.map((m) => [m.id, m]));
    for (const [id, r] of latest) {
      const saved = byId.get(id);
      expect(saved, `message ${id} was reported saved`).toBeDefined();
      // Writes after the last report may also have landed, so saved text extends the report.
      expect(saved!.text.startsWith(r.text)).toBe(true);
      if (r.status === 'done') expect(saved!.status).toBe('done');
    }
    // The answer being streamed when the process died is recovered as stopped, text kept.
    const last = messages.at(-1)!;
    expect(last.role).toBe('assistant');
    expect(last.status).toBe('stopped');
    expect(store.recoveredMessages).toBe(1);
    expect(messages.filter((m) => m.status === 'streaming')).toEqual([]);
    expect(messages.filter((m) => m.role === 'assistant' && m.status === 'done')).toHaveLength(3);
    expect(last.text.length).toBeGreaterThanOrEqual(latest.get(last.id)!.text.length);
    store.dispose();
  });
});
