import type { TypingEvent } from '@ashchat/contracts';

/** Who is typing where: conversation id → user id → when the indicator lapses (ms since the epoch). */
export type TypingState = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** A `start` holds for `expiresInMs` unless repeated; a `stop` ends it at once. */
export function applyTyping(state: TypingState, event: TypingEvent, now: number): TypingState {
  const users = { ...state[event.conversationId] };
  if (event.state === 'start') users[event.userId] = now + event.expiresInMs;
  else delete users[event.userId];
  return { ...state, [event.conversationId]: users };
}

/** A user's new message ends their indicator (they stopped typing to send it). */
export function clearTyping(state: TypingState, conversationId: string, userId: string): TypingState {
  if (!state[conversationId]?.[userId]) return state;
  const users = { ...state[conversationId] };
  delete users[userId];
  return { ...state, [conversationId]: users };
}

/** The users typing in a conversation at `now`, sorted for a stable display. */
export function typingUsers(state: TypingState, conversationId: string, now: number): string[] {
  return Object.entries(state[conversationId] ?? {})
    .filter(([, until]) => until > now)
    .map(([id]) => id)
    .sort();
}

/** When the next indicator lapses (to schedule one re-evaluation), or null when none is running. */
export function nextExpiry(state: TypingState, now: number): number | null {
  let next: number | null = null;
  for (const users of Object.values(state)) for (const until of Object.values(users)) if (until > now && (next === null || until < next)) next = until;
  return next;
}

/** Drops lapsed indicators so the state does not grow. */
export function pruneTyping(state: TypingState, now: number): TypingState {
  const out: Record<string, Record<string, number>> = {};
  for (const [conversationId, users] of Object.entries(state)) {
    const alive = Object.fromEntries(Object.entries(users).filter(([, until]) => until > now));
    if (Object.keys(alive).length > 0) out[conversationId] = alive;
  }
  return out;
}

/**
 * Our own typing: `start` at most every `repeatMs` while keys are pressed, `stop` after `idleMs` without
 * one (or on send). Decides only; the store sends the frames.
 */
export interface OwnTyping {
  /** The last `start` sent, per conversation. */
  lastStart: Readonly<Record<string, number>>;
}
export const TYPING_REPEAT_MS = 3_000;
export const TYPING_IDLE_MS = 5_000;

export function onKeystroke(own: OwnTyping, conversationId: string, now: number, repeatMs = TYPING_REPEAT_MS): { own: OwnTyping; sendStart: boolean } {
  const last = own.lastStart[conversationId];
  if (last !== undefined && now - last < repeatMs) return { own, sendStart: false };
  return { own: { lastStart: { ...own.lastStart, [conversationId]: now } }, sendStart: true };
}

export function onStopped(own: OwnTyping, conversationId: string): { own: OwnTyping; sendStop: boolean } {
  if (own.lastStart[conversationId] === undefined) return { own, sendStop: false };
  const lastStart = { ...own.lastStart };
  delete lastStart[conversationId];
  return { own: { lastStart }, sendStop: true };
}
