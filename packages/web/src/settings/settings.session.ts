import { effect, signal } from '@preact/signals';
import { session } from '../api/api.js';
import type { MessageKey } from '../i18n/i18n.js';

/** The reason the settings ended (or are ending) the session with: device untrusted, signed out everywhere, account deleted. */
const ownReason = signal<MessageKey | null>(null);
let lastStatus = session.status.peek();

// Ending the session from here also closes this tab's WebSocket as "revoked", and that close may be
// handled before or after our own sign-out: the sign-in page must show our reason, not "ended on
// another device". Held until the next sign-in starts (which clears the reason) or succeeds.
effect(() => {
  const status = session.status.value;
  const shown = session.endedReason.value;
  const signedInAgain = status === 'signed-in' && lastStatus === 'signed-out';
  lastStatus = status;
  const mine = ownReason.peek();
  if (!mine) return;
  // A sign-in began (it clears the shown reason) or succeeded: ours is history.
  if (signedInAgain || (status === 'signed-out' && shown === null)) {
    ownReason.value = null;
    return;
  }
  if (status === 'signed-out' && shown !== mine) void session.signOut(mine);
});

/** Signs out (revoking as asked) and makes `reason` the one the sign-in page shows. */
export async function endSession(reason: MessageKey, revoke?: 'current' | 'all'): Promise<void> {
  ownReason.value = reason;
  await session.signOut(reason, revoke ? { revoke } : {});
}

/** Holds `reason` for whenever the session ends meanwhile (an account deletion revokes the sessions while it runs). */
export function expectSessionEnd(reason: MessageKey): void {
  ownReason.value = reason;
  // Already ended (the revocation's WebSocket close came first): say so now.
  if (session.status.peek() === 'signed-out') void session.signOut(reason);
}
