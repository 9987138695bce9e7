/**
 * The answer being generated. Tokens arrive many times a second, so the text node is written
 * from a store subscription once per animation frame instead of through React renders.
 */
import { useEffect, useRef } from 'react';
import { useStoreApi } from '../store/store-context';
import { shownAnswerText } from './answer-text';

export function StreamingAnswer() {
  const store = useStoreApi();
  const textRef = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    let frame = 0;
    const paint = () => {
      frame = 0;
      if (textRef.current)
        textRef.current.textContent = shownAnswerText(store.getState().stream.text);
    };
    paint();
    const off = store.subscribe((s, prev) => {
      if (s.stream !== prev.stream && !frame) frame = requestAnimationFrame(paint);
    });
    return () => {
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [store]);

  return (
    <li className="message assistant streaming" aria-busy="true">
      <span className="role">Answer</span>
      <span ref={textRef} className="text" />
      <span className="cursor" aria-hidden="true" />
    </li>
  );
}
