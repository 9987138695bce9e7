/**
 * Conversation history, messages with the streamed answer, and the question box
 * (Enter sends, Shift+Enter adds a line; Escape, handled by App, stops).
 */
import { useState } from 'react';
import { useApp } from '../store/store-context';
import { StreamingAnswer } from './streaming-answer';
import { shownAnswerText } from './answer-text';
import { COMPRESSION_METHODS } from '../../app/chat/compression-methods';

const methodLabel = (id: string | null) =>
  COMPRESSION_METHODS.find((m) => m.id === id)?.label ?? '';

export function ChatPanel() {
  const messages = useApp((s) => s.messages);
  const generating = useApp((s) => s.generating);
  const conversations = useApp((s) => s.conversations);
  const activeConversationId = useApp((s) => s.activeConversationId);
  const hasDocument = useApp((s) => s.activeDocumentId !== null);
  const ask = useApp((s) => s.ask);
  const stop = useApp((s) => s.stop);
  const regenerate = useApp((s) => s.regenerate);
  const selectConversation = useApp((s) => s.selectConversation);
  const resetChat = useApp((s) => s.resetChat);
  const [question, setQuestion] = useState('');

  const send = () => {
    const q = question.trim();
    if (!q || generating) return;
    setQuestion('');
    void ask(q);
  };
  const canRegenerate =
    !generating && messages.some((m) => m.role === 'user') && activeConversationId !== null;

  return (
    <section className="chat-panel" aria-label="Chat">
      <div className="history">
        <label>
          History{' '}
          <select
            aria-label="Conversation"
            value={activeConversationId ?? ''}
            onChange={(e) =>
              e.target.value ? void selectConversation(e.target.value) : resetChat()
            }
          >
            <option value="">New conversation</option>
            {conversations.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ol className="messages" aria-label="Messages">
        {messages.map((m) => (
          <li key={m.id} className={`message ${m.role} ${m.status}`}>
            <span className="role">{m.role === 'user' ? 'You' : 'Answer'}</span>
            <span className="text">
              {m.role === 'assistant' ? shownAnswerText(m.text) : m.text}
            </span>
            {m.role === 'assistant' && (
              <span className="meta">
                {methodLabel(m.method)}
                {m.budget !== null && m.method !== 'full' ? ` · budget ${m.budget}` : ''}
                {m.status === 'stopped' ? ' · stopped' : ''}
                {m.status === 'streaming' ? ' · still being written' : ''}
                {m.error ? ` · ${m.error}` : ''}
              </span>
            )}
          </li>
        ))}
        {generating && <StreamingAnswer />}
      </ol>
      <div className="ask">
        <textarea
          aria-label="Ask about the document"
          placeholder={hasDocument ? 'Ask about the document…' : 'Open a document first'}
          rows={2}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send();
            }
            // Escape is handled window-wide by App, so it stops from anywhere.
          }}
        />
        <div className="buttons">
          {generating ? (
            <button type="button" onClick={() => void stop()}>
              Stop
            </button>
          ) : (
            <button type="button" onClick={send} disabled={!question.trim() || !hasDocument}>
              Send
            </button>
          )}
          <button type="button" onClick={() => void regenerate()} disabled={!canRegenerate}>
            Regenerate
          </button>
        </div>
      </div>
    </section>
  );
}
