import { signal } from '@preact/signals';
import type { BlockList, BlockView } from '@ashchat/contracts';
import { useEffect } from 'preact/hooks';
import { http } from '../api/api.js';
import { Notice } from '../app/ui.js';
import { t } from '../i18n/i18n.js';
import { nameOf } from './chat.format.js';
import { enc } from './chat.ports.js';
import type { Chat } from './chat.store.js';
import { RelationsError, useRelationsMenu } from './relations.menu.js';
import './relations.css';

/** The users I blocked, by id (null until read once): shared by the direct chat header and the settings list. */
export const blockedUsers = signal<ReadonlyMap<string, BlockView> | null>(null);
let loading: Promise<void> | null = null;

/** Reads the list (once, unless `force`); failures leave it unread, so the next caller tries again. */
export function loadBlocks(force = false): Promise<void> {
  if (!force && (blockedUsers.value !== null || loading)) return loading ?? Promise.resolve();
  loading = http
    .request<BlockList>('GET', '/v1/me/blocks')
    .then((list) => {
      blockedUsers.value = new Map(list.items.map((b) => [b.userId, b]));
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

export async function block(userId: string): Promise<BlockView> {
  const view = await http.request<BlockView>('PUT', `/v1/me/blocks/${enc(userId)}`);
  blockedUsers.value = new Map([...(blockedUsers.value ?? []), [userId, view]]);
  return view;
}

export async function unblock(userId: string): Promise<void> {
  await http.request('DELETE', `/v1/me/blocks/${enc(userId)}`);
  const next = new Map(blockedUsers.value ?? []);
  next.delete(userId);
  blockedUsers.value = next;
}

function useBlocked(userId: string): boolean {
  useEffect(() => {
    loadBlocks().catch(() => undefined);
  }, []);
  return blockedUsers.value?.has(userId) ?? false;
}

/** Direct chat header: Block (after a confirm) or Unblock. */
export function BlockControl({ chat, userId }: { chat: Chat; userId: string }) {
  const blocked = useBlocked(userId);
  const { open: asking, setOpen: setAsking, busy, error, first: confirm, trigger, close, run } = useRelationsMenu();
  const name = nameOf(userId, chat.users.nicknames.value);

  return (
    <span class="relations-anchor">
      {blocked ? (
        <button ref={trigger} type="button" class="button button-secondary button-small" aria-label={t('relations.unblock.label', { name })} disabled={busy} onClick={() => void run(() => unblock(userId))}>
          {t('relations.unblock')}
        </button>
      ) : (
        <button
          ref={trigger}
          type="button"
          class="button button-secondary button-small"
          aria-label={t('relations.block.label', { name })}
          aria-expanded={asking}
          onClick={() => setAsking(!asking)}
        >
          {t('relations.block')}
        </button>
      )}
      {asking && !blocked && (
        <div
          class="relations-menu"
          role="group"
          aria-label={t('relations.block.label', { name })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <p class="relations-menu-title">{t('relations.block.question', { name })}</p>
          <button ref={confirm} type="button" class="button button-danger button-small" aria-busy={busy ? true : undefined} disabled={busy} onClick={() => void run(() => block(userId))}>
            {t('relations.block.confirm')}
          </button>
          <button type="button" class="button button-link button-small" disabled={busy} onClick={close}>
            {t('relations.cancel')}
          </button>
        </div>
      )}
      <RelationsError error={error} />
    </span>
  );
}

/** Under the header of a direct chat with someone I blocked: why nothing can be sent. */
export function BlockedNotice({ chat, userId }: { chat: Chat; userId: string }) {
  const blocked = useBlocked(userId);
  if (!blocked) return null;
  return (
    <div class="blocked-notice">
      <Notice kind="warning">{t('relations.blocked.notice', { name: nameOf(userId, chat.users.nicknames.value) })}</Notice>
    </div>
  );
}
