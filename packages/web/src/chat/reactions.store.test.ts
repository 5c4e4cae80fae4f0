import t from 'tap';
import { signal } from '@preact/signals';
import type { MessageView } from '@ashchat/contracts';
import type { Http } from './chat.ports.js';
import { applyReactionChange, createReactionsStore } from './reactions.store.js';

/** The reactions store with the API replaced by an in-memory stand-in answering as the contract says. */
const ME = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const CONV = 'c'.repeat(24);
const MSG = '1'.repeat(24);
const message = { id: MSG, conversationId: CONV, reactions: [{ emoji: '👍', count: 1, me: false }], deletedAt: null } satisfies Pick<MessageView, 'id' | 'conversationId' | 'reactions' | 'deletedAt'>;
const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const calls: Array<{ method: string; path: string; resolve(v: unknown): void; reject(e: unknown): void }> = [];
  const http: Http = { request: <T>(method: string, path: string) => new Promise<T>((resolve, reject) => calls.push({ method, path, resolve: resolve as (v: unknown) => void, reject })) };
  return { store: createReactionsStore({ http, me: signal(ME) }), calls };
}

t.test('applyReactionChange: counts from the event, `me` only from my own changes, chips at 0 go', async (t) => {
  const list = [{ emoji: '👍', count: 1, me: true }];
  t.same(applyReactionChange(list, { emoji: '👍', count: 2, userId: BOB, added: true }, ME), [{ emoji: '👍', count: 2, me: true }]);
  t.same(applyReactionChange(list, { emoji: '🎉', count: 1, userId: BOB, added: true }, ME), [...list, { emoji: '🎉', count: 1, me: false }]);
  t.same(applyReactionChange(list, { emoji: '👍', count: 0, userId: ME, added: false }, ME), []);
  t.same(applyReactionChange(list, { emoji: '👍', count: 1, userId: BOB, added: false }, ME), [{ emoji: '👍', count: 1, me: true }], 'Bob taking his back leaves mine');
  t.same(applyReactionChange([], { emoji: '👍', count: 3, userId: ME, added: true }, ME), [{ emoji: '👍', count: 3, me: true }]);
});

t.test('pages seed the store; live events update it; message events (none) never wipe it', async (t) => {
  const { store } = setup();
  t.same(store.of(message), message.reactions, 'without word from a page, the message’s own');
  store.seed([{ ...message, reactions: [{ emoji: '👍', count: 2, me: true }] } as MessageView]);
  t.same(store.of({ ...message, reactions: [] }), [{ emoji: '👍', count: 2, me: true }], 'an edited event’s empty list does not count');
  store.apply({ type: 'reaction.updated', conversationId: CONV, messageId: MSG, emoji: '👍', userId: BOB, added: false, count: 1 });
  t.same(store.of(message), [{ emoji: '👍', count: 1, me: true }]);
  t.same(store.of({ ...message, deletedAt: '2026-01-01T00:00:00.000Z' }), [], 'a deleted message shows none');
});

t.test('toggle: shown at once, settled by the answer, put back when refused', async (t) => {
  const { store, calls } = setup();
  const adding = store.toggle(message, '👍');
  t.same(store.of(message), [{ emoji: '👍', count: 2, me: true }], 'at once');
  t.equal(calls[0]!.method, 'PUT');
  t.equal(calls[0]!.path, `/v1/conversations/${CONV}/messages/${MSG}/reactions/${encodeURIComponent('👍')}`);
  calls[0]!.resolve({ emoji: '👍', count: 3, me: true });
  await adding;
  t.same(store.of(message), [{ emoji: '👍', count: 3, me: true }], 'the server’s count');

  const removing = store.toggle(message, '👍');
  t.same(store.of(message), [{ emoji: '👍', count: 2, me: false }]);
  t.equal(calls[1]!.method, 'DELETE');
  calls[1]!.reject({ status: 409, code: 'MESSAGE_DELETED' });
  await t.rejects(removing, { code: 'MESSAGE_DELETED' });
  await tick();
  t.same(store.of(message), [{ emoji: '👍', count: 3, me: true }], 'put back as it was');
});
