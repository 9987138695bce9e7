/**
 * Asks for the password of an encrypted PDF and opens it again with it.
 */
import { useState } from 'react';
import { useApp } from '../store/store-context';

export function PasswordForm() {
  const pending = useApp((s) => s.passwordFor);
  const submit = useApp((s) => s.submitPassword);
  const [password, setPassword] = useState('');
  if (!pending) return null;
  return (
    <form
      className="banner password-form"
      aria-label="Document password"
      onSubmit={(e) => {
        e.preventDefault();
        const value = password;
        setPassword('');
        void submit(value);
      }}
    >
      <span>
        {pending.wrong
          ? `That password did not open ${pending.name}. Try again:`
          : `${pending.name} is password-protected. Enter its password to open it:`}
      </span>
      <input
        type="password"
        aria-label="PDF password"
        autoFocus
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit" disabled={password.length === 0}>
        Open
      </button>
      <button type="button" onClick={() => void submit(null)}>
        Cancel
      </button>
    </form>
  );
}
