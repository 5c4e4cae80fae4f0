import { signal } from '@preact/signals';
import type { AccountDeletionView } from '@ashchat/contracts';
import { http } from '../api/api.js';
import { endSession, expectSessionEnd } from './settings.session.js';

/** The deletion this page started and follows, with when it started (to say when it is slow). */
export const deletion = signal<{ deletionId: string; startedAt: number } | null>(null);

const FIRST_POLL_MS = 400;
const MAX_POLL_MS = 4_000;

/**
 * DELETE /v1/me with the password (403 WRONG_PASSWORD, 429 RATE_LIMITED are thrown for the form), then
 * follows the deletion until `completed` and signs out with "Your account was deleted". The follow-up
 * lives here, not in the screen: the deletion ends this session while it runs, which leaves the page.
 */
export async function deleteAccount(password: string): Promise<void> {
  const started = await http.request<AccountDeletionView>('DELETE', '/v1/me', { password });
  deletion.value = { deletionId: started.deletionId, startedAt: Date.now() };
  expectSessionEnd('settings.delete.deleting');
  void follow(started);
}

async function follow(started: AccountDeletionView): Promise<void> {
  let view = started;
  // The status URL needs no token: the deletion revokes the sessions before it completes.
  const path = `/v1/account-deletions/${encodeURIComponent(started.deletionId)}`;
  for (let delay = FIRST_POLL_MS; view.status !== 'completed'; delay = Math.min(delay * 1.5, MAX_POLL_MS)) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    // A failed poll (offline, restart) is tried again: a started deletion always finishes.
    view = await http.request<AccountDeletionView>('GET', path, undefined, { auth: false }).catch(() => view);
  }
  deletion.value = null;
  await endSession('auth.ended.deleted');
}
