import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';
import type { Chat } from './chat.store.js';
import { useMentionAutocomplete } from './mention.view.js';
import { cancelReply, takeReply } from './reply.store.js';
import { ReplyBar } from './reply.view.js';
import { AttachBar, dropProps } from './attach.view.js';
import { pendingUploads, takeUploaded } from './attachments.store.js';

const MAX_BODY = 4000;
const MAX_ROWS_PX = 160;

/** The message field: Enter sends, Shift+Enter is a new line; typing.start/stop follow the keystrokes. */
export function Composer({ chat, conversationId, onSent }: { chat: Chat; conversationId: string; onSent(): void }) {
  const id = useId();
  const [text, setText] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  const mention = useMentionAutocomplete({ chat, conversationId, field, text, setText });

  useEffect(() => () => chat.typing.stopped(conversationId), [chat, conversationId]);
  useEffect(() => {
    // Opening a conversation beside the list puts the cursor in the field (not on phones: no keyboard popping up).
    if (window.matchMedia('(min-width: 768px) and (hover: hover)').matches) field.current?.focus();
  }, [conversationId]);
  useEffect(() => {
    // The field grows with its text up to a few lines, then scrolls.
    const el = field.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 2, MAX_ROWS_PX)}px`;
  }, [text]);

  // Files uploaded and waiting (attach.view.tsx): a message may be files alone.
  const hasFiles = pendingUploads(conversationId).value.some((p) => p.view !== null);

  function send(): void {
    const body = text.trim();
    if (!body && !hasFiles) return;
    chat.messages.send(conversationId, body, takeReply(conversationId), takeUploaded(conversationId));
    chat.typing.stopped(conversationId);
    setText('');
    onSent();
    field.current?.focus();
  }

  return (
    <form
      class="composer"
      {...dropProps(conversationId)}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label class="composer-label" for={id}>
        {t('chat.composer.label')}
      </label>
      <ReplyBar chat={chat} conversationId={conversationId} />
      <div class="composer-row">
        <AttachBar conversationId={conversationId} />
        {mention.view}
        <textarea
          {...mention.inputProps}
          id={id}
          ref={field}
          rows={1}
          value={text}
          maxLength={MAX_BODY}
          placeholder={t('chat.composer.placeholder')}
          aria-describedby={`${id}-hint`}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setText(value);
            mention.track(e.currentTarget);
            if (value.trim()) chat.typing.keystroke(conversationId);
            else chat.typing.stopped(conversationId);
          }}
          onKeyDown={(e) => {
            if (mention.onKeyDown(e)) return;
            if (e.key === 'Escape' && cancelReply(conversationId)) e.preventDefault();
            else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" class="button button-primary" disabled={!text.trim() && !hasFiles}>
          {t('chat.composer.send')}
        </button>
      </div>
      <p class="visually-hidden" id={`${id}-hint`}>
        {t('chat.composer.hint')}
      </p>
    </form>
  );
}
