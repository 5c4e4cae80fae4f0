import { signal, type ReadonlySignal } from '@preact/signals';
import type { UserSearchPage, UserSummary } from '@ashchat/contracts';
import { enc, type Http } from './chat.ports.js';

export type UsersStore = ReturnType<typeof createUsersStore>;

/**
 * Nickname search (GET /v1/users) and the nicknames learnt: from searches, and through `remember` from
 * conversations' member lists (members.store.ts) and the signed-in user. Unknown ids show a fallback.
 */
/** A user as learnt: the avatar only where the source says (member lists, searches, the own profile). */
export type KnownUser = Pick<UserSummary, 'id' | 'nickname'> & { avatarUrl?: string | null };

export function createUsersStore(http: Http) {
  const nicknames = signal<Readonly<Record<string, string>>>({});
  /** Avatar URLs (files/ on the server) by user id; null: none; absent: not known yet. */
  const avatars = signal<Readonly<Record<string, string | null>>>({});

  function remember(users: readonly KnownUser[]): void {
    const fresh = users.filter((u) => nicknames.value[u.id] !== u.nickname);
    if (fresh.length > 0) nicknames.value = { ...nicknames.value, ...Object.fromEntries(fresh.map((u) => [u.id, u.nickname])) };
    const pictured = users.filter((u) => u.avatarUrl !== undefined && avatars.value[u.id] !== u.avatarUrl);
    if (pictured.length > 0) avatars.value = { ...avatars.value, ...Object.fromEntries(pictured.map((u) => [u.id, u.avatarUrl ?? null])) };
  }

  /** Users whose nickname starts with `query` (case-insensitive); pass a page's nextCursor for the next one. */
  async function search(query: string, cursor: string | null = null, limit = 20): Promise<UserSearchPage> {
    const q = query.trim();
    if (q.length === 0) return { items: [], nextCursor: null };
    const page = await http.request<UserSearchPage>('GET', `/v1/users?query=${enc(q.slice(0, 32))}&limit=${limit}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
    remember(page.items);
    return page;
  }

  return {
    nicknames: nicknames as ReadonlySignal<Readonly<Record<string, string>>>,
    avatars: avatars as ReadonlySignal<Readonly<Record<string, string | null>>>,
    search,
    remember,
  };
}
