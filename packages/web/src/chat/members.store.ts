import { signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { MemberList, MemberView } from '@ashchat/contracts';
import { enc, errorCode, type Http } from './chat.ports.js';

/** A conversation's members as last loaded: null until the first answer. */
export interface Members {
  items: MemberView[] | null;
  loading: boolean;
  error: string | null;
}

export interface MembersStoreOptions {
  http: Http;
  /** Every loaded list goes here: nicknames into the users' map, read markers into the messages store. */
  onLoaded?(conversationId: string, items: readonly MemberView[]): void;
  /** Loads running at once for `ensure` (a list page of unknown direct peers must not fire 50 requests together). */
  concurrency?: number;
}

export type MembersStore = ReturnType<typeof createMembersStore>;

const EMPTY: Members = { items: null, loading: false, error: null };

/**
 * Members of conversations with their nicknames and read markers (GET /v1/conversations/{id}/members):
 * the only way to name a user who wrote first, and to know "seen" after a reload.
 */
export function createMembersStore({ http, onLoaded, concurrency = 4 }: MembersStoreOptions) {
  const lists = new Map<string, Signal<Members>>();
  const inFlight = new Map<string, Promise<void>>();
  /** Conversations `ensure` has asked for (each once, until a failure is retried or the conversation is forgotten). */
  const ensured = new Set<string>();
  const queue: string[] = [];
  let running = 0;

  function slot(conversationId: string): Signal<Members> {
    let s = lists.get(conversationId);
    if (!s) lists.set(conversationId, (s = signal(EMPTY)));
    return s;
  }

  /** Loads (or reloads) the members; concurrent calls share one request. */
  function load(conversationId: string): Promise<void> {
    const pending = inFlight.get(conversationId);
    if (pending) return pending;
    const s = slot(conversationId);
    s.value = { ...s.value, loading: true };
    const request = (async () => {
      try {
        const list = await http.request<MemberList>('GET', `/v1/conversations/${enc(conversationId)}/members`);
        if (lists.get(conversationId) !== s) return; // forgotten meanwhile
        s.value = { items: list.items, loading: false, error: null };
        onLoaded?.(conversationId, list.items);
      } catch (error) {
        s.value = { ...s.value, loading: false, error: errorCode(error) };
      } finally {
        inFlight.delete(conversationId);
      }
    })();
    inFlight.set(conversationId, request);
    return request;
  }

  function pump(): void {
    while (running < concurrency && queue.length > 0) {
      const conversationId = queue.shift()!;
      running++;
      void load(conversationId).finally(() => {
        running--;
        pump();
      });
    }
  }

  /** Loads each conversation's members once (in the background, a few at a time); already asked ones are skipped. */
  function ensure(conversationIds: readonly string[]): void {
    for (const id of conversationIds) {
      if (ensured.has(id) || slot(id).value.items !== null) continue;
      ensured.add(id);
      queue.push(id);
    }
    pump();
  }

  /** Lets `ensure` ask again for the lists whose load failed (after a reconnect). */
  function retryFailed(): void {
    for (const [id, s] of lists) if (s.value.items === null && s.value.error !== null && !inFlight.has(id)) ensured.delete(id);
  }

  /** Whether the members were ever asked for (loaded, loading or tried): a membership change reloads only those. */
  const known = (conversationId: string): boolean => lists.has(conversationId);

  function forget(conversationId: string): void {
    lists.delete(conversationId);
    ensured.delete(conversationId);
    const i = queue.indexOf(conversationId);
    if (i >= 0) queue.splice(i, 1);
  }

  return {
    /** The members of a conversation (a signal per conversation; `items` null until loaded). */
    of: (conversationId: string): ReadonlySignal<Members> => slot(conversationId),
    load,
    ensure,
    retryFailed,
    known,
    forget,
  };
}
