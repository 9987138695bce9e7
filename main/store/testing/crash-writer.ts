/**
 * Child process for the crash-safety test: streams answers into a library until killed,
 * printing one JSON line after every write that has returned (so is committed):
 * `{"id": messageId, "text": savedText, "status": ...}`. After FINISHED_ANSWERS complete answers
 * it streams one endless answer, so the kill always lands while an answer is streaming.
 *
 * Usage: node --import tsx main/store/testing/crash-writer.ts <library.sqlite>
 */
import { openStore } from '../open-store';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-writer.ts <library.sqlite>');
const store = openStore(path);
const doc = store.documents.add({
  name: 'crash.pdf',
  kind: 'pdf',
  source: 'upload',
  path: '/tmp/crash.pdf',
  sha256: 'e'.repeat(64),
  pages: 1,
  chars: 1,
  bytes: 1,
  warnings: [],
});
const conversationId = store.conversations.add({
  documentId: doc.id,
  modelId: 'demo',
  title: 'crash',
}).id;
const report = (id: string, text: string, status: string) =>
  process.stdout.write(`${JSON.stringify({ id, text, status })}\n`);

const FLUSH_EVERY = 4;
const TOKENS_PER_ANSWER = 40;
const FINISHED_ANSWERS = 3;
let token = 0;

async function run(): Promise<never> {
  for (let answer = 0; ; answer++) {
    const endless = answer === FINISHED_ANSWERS;
    const question = store.messages.add({
      conversationId,
      role: 'user',
      text: `question ${token}`,
      status: 'done',
    });
    report(question.id, question.text, 'done');
    const writer = store.beginAnswer(
      { conversationId, method: 'compresskv', budget: 256 },
      { flushEveryTokens: FLUSH_EVERY, flushEveryMs: 1e9 },
    );
    let text = '';
    for (let i = 0; endless || i < TOKENS_PER_ANSWER; i++) {
      const piece = `t${token++} `;
      text += piece;
      writer.append(piece);
      // append flushed exactly when the count reached FLUSH_EVERY; report what is now on disk.
      if ((i + 1) % FLUSH_EVERY === 0) report(writer.message.id, text, 'streaming');
      await new Promise((resolve) => setImmediate(resolve));
    }
    writer.finish('done');
    report(writer.message.id, text, 'done');
  }
}

void run();
