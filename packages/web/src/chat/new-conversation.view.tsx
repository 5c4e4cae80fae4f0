import type { UserSummary } from '@ashchat/contracts';
import { useId, useState } from 'preact/hooks';
import { navigate } from '../app/router.js';
import { Button, Field, Notice } from '../app/ui.js';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import type { Chat } from './chat.store.js';
import { UserPicker } from './user-picker.view.js';

/** "New chat": pick a user by nickname, open (or create) the direct conversation with them. */
export function NewDirectView({ chat, onClose }: { chat: Chat; onClose(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function open(u: UserSummary): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const c = await chat.conversations.startDirect(u.id);
      onClose();
      navigate(`/c/${c.id}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="new-panel" aria-labelledby="new-direct-title">
      <header class="new-panel-header">
        <h2 id="new-direct-title">{t('chat.newDirect.title')}</h2>
        <button type="button" class="button button-link" onClick={onClose}>
          {t('chat.new.cancel')}
        </button>
      </header>
      {error && <Notice kind="error">{error}</Notice>}
      <UserPicker chat={chat} exclude={[]} onPick={(u) => void open(u)} busy={busy} />
    </section>
  );
}

/** "New group": a name and members picked by nickname; the creator owns it. */
export function NewGroupView({ chat, onClose }: { chat: Chat; onClose(): void }) {
  const listId = useId();
  const [name, setName] = useState('');
  const [members, setMembers] = useState<UserSummary[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function create(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const c = await chat.conversations.createGroup(name.trim(), members.map((u) => u.id));
      onClose();
      navigate(`/c/${c.id}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="new-panel" aria-labelledby="new-group-title">
      <header class="new-panel-header">
        <h2 id="new-group-title">{t('chat.newGroup.title')}</h2>
        <button type="button" class="button button-link" onClick={onClose}>
          {t('chat.new.cancel')}
        </button>
      </header>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) void create();
        }}
      >
        <Field label={t('chat.newGroup.name')} value={name} maxLength={100} required onInput={(e) => setName(e.currentTarget.value)} />
        <div>
          <p class="chips-label" id={listId}>
            {t('chat.newGroup.members', { count: members.length })}
          </p>
          <ul class="chips" aria-labelledby={listId}>
            {members.map((u) => (
              <li key={u.id} class="chip">
                {u.nickname}
                <button type="button" class="chip-remove" aria-label={t('chat.newGroup.unselect', { name: u.nickname })} onClick={() => setMembers(members.filter((x) => x.id !== u.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
        <UserPicker chat={chat} exclude={members.map((u) => u.id)} onPick={(u) => setMembers([...members, u])} />
        {error && <Notice kind="error">{error}</Notice>}
        <Button type="submit" busy={busy} disabled={!name.trim()}>
          {t('chat.newGroup.create')}
        </Button>
      </form>
    </section>
  );
}
