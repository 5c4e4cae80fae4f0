import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { TypingEvent } from '@ashchat/contracts';
import type { Realtime } from '../realtime/realtime.client.js';
import type { Clock } from '../realtime/realtime.env.js';
import { systemClock } from '../realtime/realtime.env.js';
import { applyTyping, clearTyping, nextExpiry, onKeystroke, onStopped, pruneTyping, TYPING_IDLE_MS, typingUsers, type OwnTyping, type TypingState } from './typing.model.js';

export type TypingStore = ReturnType<typeof createTypingStore>;

/** Others' typing indicators (lapsing on their own) and our own typing.start / typing.stop frames. */
export function createTypingStore(realtime: Pick<Realtime, 'request'>, clock: Clock = systemClock) {
  const state = signal<TypingState>({});
  /** Bumped when an indicator lapses, so computed lists re-evaluate at that moment. */
  const tick = signal(0);
  let expiryTimer: unknown = null;
  let own: OwnTyping = { lastStart: {} };
  const idleTimers = new Map<string, unknown>();

  function schedule(): void {
    clock.clearTimeout(expiryTimer);
    const now = clock.now();
    const next = nextExpiry(state.value, now);
    if (next === null) return;
    expiryTimer = clock.setTimeout(() => {
      state.value = pruneTyping(state.value, clock.now());
      tick.value++;
      schedule();
    }, next - now);
  }

  function apply(event: TypingEvent): void {
    state.value = applyTyping(state.value, event, clock.now());
    schedule();
  }

  /** A member's message arrived: they are no longer typing it. */
  function messageFrom(conversationId: string, userId: string): void {
    state.value = clearTyping(state.value, conversationId, userId);
  }

  const send = (type: 'typing.start' | 'typing.stop', conversationId: string) => realtime.request({ type, conversationId }).catch(() => {}); // best effort

  /** Call on every keystroke in the composer. */
  function keystroke(conversationId: string): void {
    const r = onKeystroke(own, conversationId, clock.now());
    own = r.own;
    if (r.sendStart) void send('typing.start', conversationId);
    clock.clearTimeout(idleTimers.get(conversationId));
    idleTimers.set(conversationId, clock.setTimeout(() => stopped(conversationId), TYPING_IDLE_MS));
  }

  /** Call on send, on clearing the composer, on leaving the conversation. */
  function stopped(conversationId: string): void {
    clock.clearTimeout(idleTimers.get(conversationId));
    idleTimers.delete(conversationId);
    const r = onStopped(own, conversationId);
    own = r.own;
    if (r.sendStop) void send('typing.stop', conversationId);
  }

  const cache = new Map<string, ReadonlySignal<string[]>>();
  function typingIn(conversationId: string): ReadonlySignal<string[]> {
    let c = cache.get(conversationId);
    if (!c)
      cache.set(
        conversationId,
        (c = computed(() => {
          void tick.value;
          return typingUsers(state.value, conversationId, clock.now());
        })),
      );
    return c;
  }

  return {
    typingIn,
    apply,
    messageFrom,
    keystroke,
    stopped,
    /** A new connection: indicators of the old one may never get their stop. */
    reset: () => {
      state.value = {};
      own = { lastStart: {} };
    },
    dispose: () => {
      clock.clearTimeout(expiryTimer);
      for (const t of idleTimers.values()) clock.clearTimeout(t);
    },
  };
}
