import type { ConversationView } from '@ashchat/contracts';

export type MuteFields = Pick<ConversationView, 'muted' | 'mutedUntil'>;

/**
 * Whether a conversation is muted at `now`: the server says so at the time it answered, and a mute
 * with an end stops counting once the end has passed (the list may have been read before it).
 */
export function mutedNow(m: MuteFields, now: number): { muted: boolean; until: string | null } {
  const muted = m.muted && (m.mutedUntil === null || Date.parse(m.mutedUntil) > now);
  return { muted, until: muted ? m.mutedUntil : null };
}

/** The end of a mute chosen as "for this long" (null: until unmuted), as the API takes it. */
export function muteEnd(ms: number | null, now: number): string | null {
  return ms === null ? null : new Date(now + ms).toISOString();
}
