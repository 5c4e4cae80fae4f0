import type { UserSummary } from '@ashchat/contracts';
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { navigate } from '../app/router.js';
import { Button, Field, Notice } from '../app/ui.js';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import type { Chat } from './chat.store.js';
import { UserPicker } from './user-picker.view.js';

/**
 * Opens what `start` gives (the panel closes, the conversation shows); busy meanwhile, and a refusal
 * is shown in the panel.
 */
function useOpen(onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function open(start: () => Promise<{ id: string }>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const c = await start();
      onClose();
      navigate(`/c/${c.id}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, open };
}

/** The panel in place of the conversation list, titled, with its Cancel. */
function NewPanel({ id, title, onClose, children }: { id: string; title: string; onClose(): void; children: ComponentChildren }) {
  return (
    <section class="new-panel" aria-labelledby={id}>
      <header class="new-panel-header">
        <h2 id={id}>{title}</h2>
        <button type="button" class="button button-link" onClick={onClose}>
          {t('chat.new.cancel')}
        </button>
      </header>
      {children}
    </section>
  );
}

/** "New chat": pick a user by nickname, open (or create) the direct conversation with them. */
export function NewDirectView({ chat, onClose }: { chat: Chat; onClose(): void }) {
  const { busy, error, open } = useOpen(onClose);
  return (
    <NewPanel id="new-direct-title" title={t('chat.newDirect.title')} onClose={onClose}>
      {error && <Notice kind="error">{error}</Notice>}
      <UserPicker chat={chat} exclude={[]} onPick={(u) => void open(() => chat.conversations.startDirect(u.id))} busy={busy} />
    </NewPanel>
  );
}

/** "New group": a name and members picked by nickname; the creator owns it. */
export function NewGroupView({ chat, onClose }: { chat: Chat; onClose(): void }) {
  const listId = useId();
  const [name, setName] = useState('');
  const [members, setMembers] = useState<UserSummary[]>([]);
  const { busy, error, open } = useOpen(onClose);
  const create = () => open(() => chat.conversations.createGroup(name.trim(), members.map((u) => u.id)));
  return (
    <NewPanel id="new-group-title" title={t('chat.newGroup.title')} onClose={onClose}>
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
    </NewPanel>
  );
}
