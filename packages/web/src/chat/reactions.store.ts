import { signal, type ReadonlySignal } from '@preact/signals';
import type { MessageReaction, MessageView, ReactionState, ReactionUpdatedEvent } from '@ashchat/contracts';
import { enc, type Http, type Me } from './chat.ports.js';

/**
 * Reactions per message, kept beside the histories: pages (and edits answered to us) say which
 * reactions a message has as we see them; `reaction.updated` events and our own changes keep that
 * current. Live message events carry none (`me` differs per reader), so they never overwrite these.
 */

/** Emojis offered by the picker (any other single emoji works over the API). */
export const QUICK_EMOJIS = ['👍', '❤️', '😂', '🎉', '😮', '😢'] as const;

/** The list after a member's change: the event's count for the emoji, `me` set when the member is us. */
export function applyReactionChange(list: readonly MessageReaction[], change: { emoji: string; count: number; userId: string; added: boolean }, me: string | null): MessageReaction[] {
  const current = list.find((r) => r.emoji === change.emoji);
  const mine = change.userId === me ? change.added : (current?.me ?? false);
  if (change.count <= 0) return list.filter((r) => r.emoji !== change.emoji);
  const next = { emoji: change.emoji, count: change.count, me: mine };
  return current ? list.map((r) => (r.emoji === change.emoji ? next : r)) : [...list, next];
}

export interface ReactionsStoreOptions {
  http: Http;
  me: Me;
}

export type ReactionsStore = ReturnType<typeof createReactionsStore>;

export function createReactionsStore({ http, me }: ReactionsStoreOptions) {
  const known = signal<Readonly<Record<string, readonly MessageReaction[]>>>({});
  const set = (messageId: string, list: readonly MessageReaction[]) => (known.value = { ...known.value, [messageId]: list });

  /** A page of history (or another answer made for us): its reactions are the current ones. */
  function seed(items: readonly MessageView[]): void {
    if (items.length === 0) return;
    const next = { ...known.value };
    for (const m of items) next[m.id] = m.reactions;
    known.value = next;
  }

  /** The reactions to show for a message (a message we have no word of yet has none: new ones start empty). */
  function of(message: Pick<MessageView, 'id' | 'reactions' | 'deletedAt'>): readonly MessageReaction[] {
    if (message.deletedAt !== null) return [];
    return known.value[message.id] ?? message.reactions;
  }

  function apply(event: ReactionUpdatedEvent): void {
    set(event.messageId, applyReactionChange(known.value[event.messageId] ?? [], event, me.value));
  }

  /** Adds or takes back my reaction: shown at once, settled by the answer (put back as it was if refused). */
  async function toggle(message: Pick<MessageView, 'id' | 'conversationId' | 'reactions' | 'deletedAt'>, emoji: string): Promise<void> {
    const before = of(message);
    const current = before.find((r) => r.emoji === emoji);
    const adding = !current?.me;
    const myId = me.value ?? '';
    set(message.id, applyReactionChange(before, { emoji, userId: myId, added: adding, count: (current?.count ?? 0) + (adding ? 1 : -1) }, myId));
    const path = `/v1/conversations/${enc(message.conversationId)}/messages/${enc(message.id)}/reactions/${enc(emoji)}`;
    try {
      if (adding) {
        const state = await http.request<ReactionState>('PUT', path);
        set(message.id, applyReactionChange(known.value[message.id] ?? [], { emoji, userId: myId, added: true, count: state.count }, myId));
      } else {
        await http.request<null>('DELETE', path);
      }
    } catch (error) {
      set(message.id, before);
      throw error;
    }
  }

  return { known: known as ReadonlySignal<Readonly<Record<string, readonly MessageReaction[]>>>, seed, of, apply, toggle };
}
