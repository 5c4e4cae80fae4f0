import { useState } from 'preact/hooks';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import type { ChatMessage } from './chat.model.js';
import { isTransient } from './chat.ports.js';
import { codeText, timeLabel } from './chat.format.js';
import type { Chat } from './chat.store.js';
import { MessageText } from './mention.view.js';
import { QuoteView, ReplyAction } from './reply.view.js';
import { Reactions } from './reactions.view.js';
import { MessageAttachments } from './attachments.view.js';
import { UserAvatar } from './avatar.view.js';
import { TranslationNote, useTranslation } from './translation.view.js';

export interface MessageRowProps {
  chat: Chat;
  message: ChatMessage;
  mine: boolean;
  /** The sender's name, shown above others' messages in groups. */
  sender: string | null;
  seen: boolean;
}

/** One message: text, time, edited/deleted marks, send state with Retry, and Edit/Delete for my own. */
export function MessageRow({ chat, message: m, mine, sender, seen }: MessageRowProps) {
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const deleted = m.deletedAt !== null;
  const canChange = mine && m.state === 'sent' && !deleted;
  const translation = useTranslation(chat, m, mine);

  async function run(action: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await action();
      setMode('view');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  const save = () => {
    const body = draft.trim();
    if (!body || body === m.body) return setMode('view');
    void run(() => chat.messages.edit(m.conversationId, m.id, body));
  };

  return (
    <article id={`msg-${m.id}`} class={`msg ${mine ? 'msg-mine' : 'msg-theirs'} msg-${m.state}${deleted ? ' msg-deleted' : ''}${!deleted && chat.me.value && m.mentions.includes(chat.me.value) ? ' msg-mentioned' : ''}`}>
      {sender && (
        <p class="msg-sender">
          <UserAvatar chat={chat} userId={m.senderId} name={sender} size={20} /> <span>{sender}</span>
        </p>
      )}
      {mode === 'edit' ? (
        <form
          class="msg-edit"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label class="msg-edit-label" for={`edit-${m.id}`}>
            {t('chat.message.editLabel')}
          </label>
          <textarea
            id={`edit-${m.id}`}
            value={draft}
            rows={2}
            maxLength={4000}
            autoFocus
            onInput={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setMode('view');
              else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                save();
              }
            }}
          />
          <div class="msg-actions-inline">
            <button type="submit" class="button button-primary button-small" disabled={busy}>
              {t('chat.message.save')}
            </button>
            <button type="button" class="button button-secondary button-small" onClick={() => setMode('view')}>
              {t('chat.message.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div class="msg-bubble">
          <QuoteView chat={chat} quote={m.replyTo} />
          {deleted ? (
            <p class="msg-body msg-body-deleted">{t('chat.message.deleted')}</p>
          ) : (
            <p class="msg-body" lang={translation.lang}>
              <MessageText chat={chat} message={translation.shown} />
            </p>
          )}
          <TranslationNote chat={chat} message={m} display={translation.display} />
          {!deleted && <MessageAttachments conversationId={m.conversationId} attachments={m.attachments} />}
          <p class="msg-meta">
            <time dateTime={m.createdAt}>{timeLabel(m.createdAt)}</time>
            {m.editedAt && !deleted && <span class="msg-edited">{t('chat.message.edited')}</span>}
            {m.state === 'pending' && <span class="msg-state">{t('chat.message.pending')}</span>}
            {m.state === 'sent' && mine && !deleted && <span class="visually-hidden">{t('chat.message.sent')}</span>}
          </p>
        </div>
      )}
      {mode === 'view' && <Reactions chat={chat} message={m} />}
      {m.state === 'failed' && (
        <div class="msg-failure" role="alert">
          <span>{isTransient(m.error ?? '') ? t('chat.message.waiting') : t('chat.message.failed', { reason: codeText(m.error ?? 'NETWORK_ERROR') })}</span>
          <button type="button" class="button button-secondary button-small" onClick={() => chat.messages.retry(m.conversationId, m.clientMessageId)}>
            {t('chat.message.retry')}
          </button>
          <button type="button" class="button button-link button-small" onClick={() => chat.messages.discard(m.conversationId, m.clientMessageId)}>
            {t('chat.message.discard')}
          </button>
        </div>
      )}
      {mode === 'view' && !canChange && <ReplyAction message={m} />}
      {canChange && mode === 'view' && (
        <div class="msg-actions">
          <ReplyAction message={m} />
          <button
            type="button"
            class="button button-link button-small"
            onClick={() => {
              setDraft(m.body ?? '');
              setError(null);
              setMode('edit');
            }}
          >
            {t('chat.message.edit')}
          </button>
          <button type="button" class="button button-link button-small" onClick={() => setMode('confirm-delete')}>
            {t('chat.message.delete')}
          </button>
        </div>
      )}
      {mode === 'confirm-delete' && (
        <div class="msg-actions msg-confirm" role="group" aria-label={t('chat.message.deleteQuestion')}>
          <span>{t('chat.message.deleteQuestion')}</span>
          <button type="button" class="button button-danger button-small" disabled={busy} onClick={() => void run(() => chat.messages.remove(m.conversationId, m.id))}>
            {t('chat.message.deleteConfirm')}
          </button>
          <button type="button" class="button button-secondary button-small" onClick={() => setMode('view')}>
            {t('chat.message.cancel')}
          </button>
        </div>
      )}
      {error && (
        <p class="msg-error" role="alert">
          {error}
        </p>
      )}
      {seen && <p class="msg-seen">{t('chat.message.seen')}</p>}
    </article>
  );
}
