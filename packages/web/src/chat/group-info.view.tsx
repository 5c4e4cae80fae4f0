import type { ConversationView, UserSummary } from '@ashchat/contracts';
import { useState } from 'preact/hooks';
import { navigate } from '../app/router.js';
import { Notice } from '../app/ui.js';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import { codeText, nameOf } from './chat.format.js';
import type { Chat } from './chat.store.js';
import { UserPicker } from './user-picker.view.js';

/** A group's members; the owner adds and removes them; anyone leaves (the owner only when alone: OWNER_CANNOT_LEAVE). */
export function GroupInfo({ chat, conversation: c, onClose }: { chat: Chat; conversation: ConversationView; onClose(): void }) {
  const me = chat.me.value;
  const nicknames = chat.users.nicknames.value;
  const owner = c.ownerId === me;
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>, success: string | null): Promise<boolean> {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(success);
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  const add = (u: UserSummary) => void run(() => chat.conversations.addMembers(c.id, [u.id]), t('chat.group.added', { name: u.nickname }));
  const remove = (id: string) => void run(() => chat.conversations.removeMember(c.id, id), t('chat.group.removed', { name: nameOf(id, nicknames) }));
  const leave = async () => {
    // The server refuses this (OWNER_CANNOT_LEAVE); said at once instead of provoking the 409.
    if (owner && c.members.length > 1) return setError(codeText('OWNER_CANNOT_LEAVE'));
    if (await run(() => chat.conversations.leave(c.id), null)) navigate('/');
  };

  return (
    <aside class="group-info" aria-labelledby="group-info-title">
      <header class="group-info-header">
        <h2 id="group-info-title">{c.name}</h2>
        <button type="button" class="button button-secondary button-small" onClick={onClose}>
          {t('chat.group.close')}
        </button>
      </header>
      {error && <Notice kind="error">{error}</Notice>}
      {done && <Notice kind="success">{done}</Notice>}
      <h3>{t('chat.group.members')}</h3>
      <ul class="member-list">
        {c.members.map((id) => (
          <li key={id}>
            <span class="member-name">
              {id === me ? t('chat.group.you', { name: nameOf(id, nicknames) }) : nameOf(id, nicknames)}
              {id === c.ownerId && <span class="member-badge">{t('chat.group.owner')}</span>}
            </span>
            {owner && id !== me && (
              <button type="button" class="button button-link button-small" disabled={busy} aria-label={t('chat.group.remove', { name: nameOf(id, nicknames) })} onClick={() => remove(id)}>
                {t('chat.group.removeShort')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {owner &&
        (adding ? (
          <section class="group-add" aria-label={t('chat.group.addMembers')}>
            <h3>{t('chat.group.addMembers')}</h3>
            <UserPicker chat={chat} exclude={c.members} onPick={add} busy={busy} />
            <button type="button" class="button button-secondary button-small" onClick={() => setAdding(false)}>
              {t('chat.group.doneAdding')}
            </button>
          </section>
        ) : (
          <button type="button" class="button button-secondary" onClick={() => setAdding(true)}>
            {t('chat.group.addMembers')}
          </button>
        ))}
      <button type="button" class="button button-danger" disabled={busy} onClick={() => void leave()}>
        {t('chat.group.leave')}
      </button>
    </aside>
  );
}
