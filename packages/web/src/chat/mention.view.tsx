import { useState } from 'preact/hooks';
import type { RefObject, TextareaHTMLAttributes } from 'preact';
import { t } from '../i18n/i18n.js';
import type { ChatMessage } from './chat.model.js';
import type { Chat } from './chat.store.js';
import { applyMention, mentionCandidates, mentionQuery, splitMentions } from './mention.model.js';
import './replies.css';

interface MentionOptions {
  chat: Chat;
  conversationId: string;
  field: RefObject<HTMLTextAreaElement | null>;
  text: string;
  setText(text: string): void;
}

/**
 * The `@` autocomplete of the composer: typing `@` lists the conversation's members; arrow keys move,
 * Enter or Tab choose, Escape closes. `onKeyDown` answers whether it used the key; `inputProps` make
 * the field a combobox for screen readers.
 */
export function useMentionAutocomplete({ chat, conversationId, field, text, setText }: MentionOptions) {
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  // Escape closes the list for what is typed now; typing on opens it again.
  const [closedFor, setClosedFor] = useState<string | null>(null);
  const listId = `mentions-${conversationId}`;
  const found = mentionQuery(text, caret);
  const members = chat.conversations.byId.value.get(conversationId)?.members ?? [];
  const options = found && `${found.at}:${found.query}` !== closedFor ? mentionCandidates(found.query, members, chat.users.nicknames.value, chat.me.value) : [];
  const open = options.length > 0;
  const current = Math.min(active, options.length - 1);

  function choose(nickname: string): void {
    const el = field.current;
    if (!found || !el) return;
    const next = applyMention(text, found.at, caret, nickname);
    setText(next.text);
    setCaret(next.caret);
    setActive(0);
    // After the render that puts the text in: the caret goes behind the inserted name.
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    });
  }

  function onKeyDown(e: KeyboardEvent): boolean {
    if (!open || e.isComposing) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + options.length) % options.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      const option = options[current];
      if (option) choose(option.nickname);
    } else if (e.key === 'Escape') {
      setClosedFor(found ? `${found.at}:${found.query}` : null);
    } else return false;
    e.preventDefault();
    return true;
  }

  /** The caret moved or the text changed: what is typed at the caret decides the list. */
  function track(el: HTMLTextAreaElement): void {
    setCaret(el.selectionStart);
    const next = mentionQuery(el.value, el.selectionStart);
    if (next?.query !== found?.query) setActive(0);
    // Typing on after Escape (another query) opens the list again.
    if (closedFor !== null && (next ? `${next.at}:${next.query}` : null) !== closedFor) setClosedFor(null);
  }

  const inputProps: TextareaHTMLAttributes<HTMLTextAreaElement> = {
    'aria-autocomplete': 'list',
    'aria-expanded': open,
    'aria-controls': listId,
    ...(open ? { 'aria-activedescendant': `${listId}-${current}` } : {}),
    onKeyUp: (e) => track(e.currentTarget),
    onClick: (e) => track(e.currentTarget),
  };

  const view = (
    <ul id={listId} class="mention-list" role="listbox" aria-label={t('chat.mention.suggestions')} hidden={!open}>
      {options.map((o, i) => (
        <li
          key={o.id}
          id={`${listId}-${i}`}
          role="option"
          class="mention-option"
          aria-selected={i === current}
          // mousedown, not click: the field keeps the focus (and the caret).
          onMouseDown={(e) => {
            e.preventDefault();
            choose(o.nickname);
          }}
        >
          {o.nickname}
        </li>
      ))}
    </ul>
  );

  return { open, onKeyDown, track, inputProps, view };
}

/** A message's text; mentions of me are highlighted (and said to screen readers). */
export function MessageText({ chat, message }: { chat: Chat; message: ChatMessage }) {
  const me = chat.me.value;
  const body = message.body ?? '';
  if (!me || !message.mentions.includes(me)) return <>{body}</>;
  const parts = splitMentions(body, chat.users.nicknames.value[me]);
  return (
    <>
      <span class="visually-hidden">{`${t('chat.mention.you')}: `}</span>
      {parts.map((p, i) =>
        p.mention ? (
          <mark key={i} class="mention-me">
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </>
  );
}

/** "@" beside the unread count of a conversation with unread mentions of me. */
export function MentionBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span class="badge badge-mention" aria-label={t('chat.list.mentioned', { count })}>
      @
    </span>
  );
}
