import type { SessionDocument, SessionRepository } from './session.repository.js';

/**
 * The reuse grace of refresh tokens (Auth0's "reuse interval", Okta's "grace period"): a client that
 * refreshed and lost the answer (the page was reloaded, the network dropped it) presents the rotated
 * token again. Within the grace, and only while the token that replaced it was never presented (the
 * chain did not move on), that is an interrupted rotation, not a theft: it is rotated again and the
 * unused successor abandoned. Everything else stays a reuse.
 */
export interface ReuseGrace {
  /** The still unused successor of a rotated token presented within the grace; null means a reuse. */
  successorOf(token: SessionDocument): Promise<SessionDocument | null>;
  /**
   * Hands the chain from `successor` to the just issued `newId`: the successor can never be used (it
   * is `rotated` and `abandoned`), `token` points at the new one, so a third attempt within the same
   * grace still finds an unused successor. False when the successor was used or ended meanwhile.
   */
  takeOver(token: SessionDocument, successor: SessionDocument, newId: string): Promise<boolean>;
}

export function createReuseGrace(d: { sessions: SessionRepository; graceMs: number; now: () => Date }): ReuseGrace {
  return {
    async successorOf(token) {
      if (d.graceMs <= 0 || token.status !== 'rotated' || token.abandoned || !token.successorId || !token.rotatedAt) return null;
      const now = d.now().getTime();
      // Counted from the first rotation (a repeat never moves `rotatedAt`): a stolen token cannot keep itself alive.
      if (now - token.rotatedAt.getTime() > d.graceMs) return null;
      const successor = await d.sessions.findById(token.successorId);
      if (!successor || successor.familyId !== token.familyId || successor.status !== 'active') return null;
      return successor.expiresAt.getTime() > now ? successor : null;
    },

    async takeOver(token, successor, newId) {
      // Conditional (active → rotated): of two repeats racing without a lock (MongoDB), one wins.
      if (!(await d.sessions.markRotated(successor._id, { at: d.now(), successorId: newId, abandoned: true }))) return false;
      await d.sessions.setSuccessor(token._id, newId);
      return true;
    },
  };
}
