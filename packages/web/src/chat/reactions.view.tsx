import { useRef, useState } from 'preact/hooks';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import type { ChatMessage } from './chat.model.js';
import type { Chat } from './chat.store.js';
import { QUICK_EMOJIS } from './reactions.store.js';
import './reactions.css';

/**
 * Under a stored message: a chip per emoji (count; pressed when I reacted; pressing toggles mine)
 * and a React button opening a small picker. Escape closes the picker and returns to the button.
 */
export function Reactions({ chat, message }: { chat: Chat; message: ChatMessage }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  if (message.state !== 'sent' || message.deletedAt !== null) return null;
  const list = chat.reactions.of(message);
  const pickerId = `reactions-picker-${message.id}`;

  function toggle(emoji: string): void {
    setError(null);
    chat.reactions.toggle(message, emoji).catch((e: unknown) => setError(errorText(e)));
  }
  function close(): void {
    setOpen(false);
    toggleRef.current?.focus();
  }

  return (
    <div class={`reactions${open ? ' reactions-open' : ''}`}>
      {list.length > 0 && (
        <ul class="reactions-chips" aria-label={t('chat.reactions.list')}>
          {list.map((r) => (
            <li key={r.emoji}>
              <button
                type="button"
                class={`reaction-chip${r.me ? ' reaction-chip-mine' : ''}`}
                aria-pressed={r.me}
                aria-label={t(r.me ? 'chat.reactions.chipMine' : 'chat.reactions.chip', { emoji: r.emoji, count: r.count })}
                onClick={() => toggle(r.emoji)}
              >
                <span aria-hidden="true">{r.emoji}</span>
                <span class="reaction-count" aria-hidden="true">
                  {r.count}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        ref={toggleRef}
        type="button"
        class="button button-link button-small reactions-add"
        aria-label={t('chat.reactions.addLabel')}
        aria-expanded={open}
        aria-controls={pickerId}
        onClick={() => setOpen(!open)}
      >
        {t('chat.reactions.add')}
      </button>
      {open && (
        <div
          id={pickerId}
          class="reactions-picker"
          role="group"
          aria-label={t('chat.reactions.picker')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              close();
            }
          }}
        >
          {QUICK_EMOJIS.map((emoji, i) => (
            <button
              key={emoji}
              type="button"
              class="reaction-pick"
              aria-label={t('chat.reactions.with', { emoji })}
              // The first choice takes the focus, so the keyboard lands in the picker.
              ref={(el) => {
                if (i === 0 && el && document.activeElement === toggleRef.current) el.focus();
              }}
              onClick={() => {
                toggle(emoji);
                close();
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
      {error && (
        <p class="msg-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
