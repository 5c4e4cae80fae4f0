/** Binds the pure digest machine to the saga runtime: name, version, projections, its request and reply. */
import { DIGEST_MAIL_QUEUE, DigestMailRequest, type DigestMailReply } from '@ashchat/contracts';
import { defineSaga, type SagaEventInput } from '@ashchat/saga';
import type { SnapshotFrom } from 'xstate';
import { DIGEST_MACHINE_VERSION, DIGEST_TIMERS, digestMachine, type DigestMachine } from './digest.machine.js';

export const DIGEST_SAGA_NAME = 'digest';

/** Stored as `status`: the state, for operators (no REST route shows it). */
export interface DigestStatusView {
  state: string;
  cycle: number;
}

/** Stored as `index`: the account's digest saga (deleted with the account's other finished flows). */
export interface DigestIndex {
  userId: string;
}

/** What each state means, printed in the generated state chart. */
export const DIGEST_STATE_STATUS: Record<string, string> = {
  idle: 'nothing to mail',
  waiting: 'timer running',
  composing: 'checking',
  sending: 'mail requested',
  cooldown: 'mailed this period',
};

export function digestReplyToEvent(body: unknown, meta: { requestId: string }): SagaEventInput<DigestMachine> | null {
  // The reply consumer validated the body against DigestMailReply; this only maps it.
  const reply = body as Partial<DigestMailReply> | null;
  if (!reply || typeof reply !== 'object' || reply.requestId !== meta.requestId) return null;
  if (reply.outcome !== 'sent' && reply.outcome !== 'already-sent' && reply.outcome !== 'failed') return null;
  return { type: 'MAIL_REPLIED', requestId: meta.requestId, outcome: reply.outcome };
}

export const digestSaga = defineSaga({
  name: DIGEST_SAGA_NAME,
  version: DIGEST_MACHINE_VERSION,
  machine: digestMachine,
  status: (snapshot: SnapshotFrom<DigestMachine>): DigestStatusView => ({ state: String(snapshot.value), cycle: snapshot.context.cycle }),
  index: (snapshot): DigestIndex => ({ userId: snapshot.context.userId }),
  indexedFields: ['userId'],
  messages: { [DIGEST_MAIL_QUEUE]: DigestMailRequest },
  timerNames: DIGEST_TIMERS,
  replyToEvent: digestReplyToEvent,
});

export type DigestSaga = typeof digestSaga;
