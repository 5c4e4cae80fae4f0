/**
 * Every saga the backend runs, with what its generated page needs beyond the machine itself.
 * A new saga is added here; docs.generate.test.ts fails while a saga defined in the services has no entry.
 */
import { DEVICE_CHALLENGE_REPLY_QUEUE, DeviceChallengeReply, DIGEST_REPLY_QUEUE, DigestMailReply, PASSWORD_RESET_REPLY_QUEUE, PasswordResetReply, REGISTRATION_REPLY_QUEUE, RegistrationReply } from '@ashchat/contracts';
import type { AnySagaDefinition } from '@ashchat/saga';
import type { TSchema } from '@sinclair/typebox';
import { REGISTRATION_STATE_STATUS, registrationSaga } from '../registration/registration.saga.js';
import { DEVICE_CHALLENGE_STATE_STATUS, deviceChallengeSaga } from '../auth/device-challenge.saga.js';
import { PASSWORD_RESET_STATE_STATUS, passwordResetSaga } from '../passwords/password-reset.saga.js';
import { ACCOUNT_DELETION_STATE_STATUS, accountDeletionSaga } from '../account-deletion/account-deletion.saga.js';
import { DIGEST_STATE_STATUS, digestSaga } from '../digest/digest.saga.js';

export interface SagaDocEntry {
  definition: AnySagaDefinition;
  title: string;
  /** Repository path of the machine (printed in the page). */
  source: string;
  /** The contract queue the saga's requests are answered on, and the schema of what arrives there. */
  replies?: { queue: string; schema: TSchema };
  /** Extra column per state, e.g. the REST status. */
  statusOf?: (state: string) => string;
  notes: string[];
}

/** The status column of a saga whose states map to a plain status. */
const plainStatus =
  (statuses: Readonly<Record<string, string | undefined>>) =>
  (state: string): string => {
    const s = statuses[state];
    return s ? `\`${s}\`` : '—';
  };

/** …and of one whose states map to a status with an optional reason. */
const statusWithReason =
  (statuses: Readonly<Record<string, { status: string; reason?: string | undefined } | undefined>>) =>
  (state: string): string => {
    const s = statuses[state];
    return s ? `\`${s.status}\`${s.reason ? ` (${s.reason})` : ''}` : '—';
  };

export const SAGA_DOCS: readonly SagaDocEntry[] = [
  {
    definition: registrationSaga as unknown as AnySagaDefinition,
    title: 'Registration saga',
    source: 'services/backend/src/registration/registration.machine.ts',
    replies: { queue: REGISTRATION_REPLY_QUEUE, schema: RegistrationReply },
    statusOf: statusWithReason(REGISTRATION_STATE_STATUS),
    notes: [
      'Replies whose `requestId` is not the pending request are stale and change nothing (no transition).',
      '`saga.timeout` events come from Redis key expiry or the reconciliation sweep; `timerDue(name)` accepts only the current token of that timer once it is due.',
      '`accountExists = true` follows exactly the same states (the verifier sends a different mail), so the flow reveals nothing.',
      'The password hash lives only in the saga context; every final state clears it.',
    ],
  },
  {
    definition: accountDeletionSaga as unknown as AnySagaDefinition,
    title: 'Account-deletion saga',
    source: 'services/backend/src/account-deletion/account-deletion.machine.ts',
    statusOf: plainStatus(ACCOUNT_DELETION_STATE_STATUS),
    notes: [
      'Every step is a local idempotent effect with its own effect id; a result carrying another id is stale and changes nothing. A step a crash interrupted is run again by the relay after a restart.',
      'Leaving conversations: ownership of a group the account owns is handed to the earliest-joined remaining member; a group (or conversation) with no other member is closed — its messages, read markers and memberships deleted.',
      'Messages stay as tombstones: sender `00000000-0000-0000-0000-000000000000`, no body, `deletedAt` set, `clientMessageId` `deleted:<messageId>`; in batches, re-entering the state while a batch reports more.',
      'No reply queue: the only message is the one-way `AccountNotice` to ACCOUNT_NOTICE_QUEUE, sent in the transition to `completed`, which also clears the address and nickname from the context (the finished document keeps ids, counts and times).',
    ],
  },
  {
    definition: passwordResetSaga as unknown as AnySagaDefinition,
    title: 'Password-reset saga',
    source: 'services/backend/src/passwords/password-reset.machine.ts',
    replies: { queue: PASSWORD_RESET_REPLY_QUEUE, schema: PasswordResetReply },
    statusOf: statusWithReason(PASSWORD_RESET_STATE_STATUS),
    notes: [
      'Replies whose `requestId` is not the pending request are stale and change nothing (no transition).',
      '`saga.timeout` events come from Redis key expiry or the reconciliation sweep; `timerDue(name)` accepts only the current token of that timer once it is due.',
      '`accountExists = false` (no account has the address) follows exactly the same states: the verifier keeps an unguessable code and mails nothing, so the reset can only expire or lock; the REST answers are the same.',
      'The new password’s argon2id hash enters with `CODE_SUBMITTED` and lives only in the saga context: a wrong code, a verifier timeout and every final state clear it.',
      '`setPassword` (local effect) stores the hash once per reset and revokes every session begun before the change (their WebSockets close with 4403); run again after a crash it spares sessions signed in with the new password.',
      '`userGone`: the account was deleted between the start and the confirmed code; shown as `failed` with reason `user-gone`, nothing changed, no notice.',
      'The `password-changed` notice to ACCOUNT_NOTICE_QUEUE is one way (no `replyTo`), noticeId `password-reset-<resetId>`; the verifier mails each notice id once.',
    ],
  },
  {
    definition: deviceChallengeSaga as unknown as AnySagaDefinition,
    title: 'Device-challenge saga (sign-in from a new device)',
    source: 'services/backend/src/auth/device-challenge.machine.ts',
    replies: { queue: DEVICE_CHALLENGE_REPLY_QUEUE, schema: DeviceChallengeReply },
    statusOf: statusWithReason(DEVICE_CHALLENGE_STATE_STATUS),
    notes: [
      'Started by POST /v1/sessions with the right password from a device the account does not trust (202, no tokens); a wrong password never gets here, so the answer reveals nothing about challenges.',
      'Replies whose `requestId` is not the pending request are stale and change nothing (no transition).',
      '`saga.timeout` events come from Redis key expiry or the reconciliation sweep; `timerDue(name)` accepts only the current token of that timer once it is due.',
      'The client’s own device id never enters the saga: only its sha256 digest (`deviceIdHash`), which `trustDevice` (local effect, idempotent through the unique (userId, deviceIdHash) index) stores in `devices`.',
      'The request that submitted the right code issues the session once `completed` (its first refresh token is keyed by the challenge id, so tokens are issued once); later submissions answer `CODE_FLOW_COMPLETED` and the device signs in without a code.',
      '`DENIED` comes from the mail’s "this was not me" link (token = HMAC of the challenge id under VERIFICATION_CODE_SECRET, recomputed by the backend, never sent through a queue); after `CODE_CONFIRMED` it is too late (untrust the device instead).',
    ],
  },
  {
    definition: digestSaga as unknown as AnySagaDefinition,
    title: 'Digest saga (missed-message mail)',
    source: 'services/backend/src/digest/digest.machine.ts',
    replies: { queue: DIGEST_REPLY_QUEUE, schema: DigestMailReply },
    statusOf: plainStatus(DIGEST_STATE_STATUS),
    notes: [
      'One saga per user (`digest-<userId>`), never final: it cycles idle → waiting → composing → sending → cooldown → idle.',
      '`UNREAD` comes from the backend’s consumer of CHAT_MESSAGE_CREATED_QUEUE (ids only), once per recipient who is offline when the message is stored.',
      '`composeDigest` (local effect, reads only) decides when the `digest` timer fired: account gone, opted out (`digestEmails: false`), online now → no mail; offline for less than DIGEST_DELAY_MS → wait until then; no unread message outside muted conversations → no mail. Muted conversations are skipped before their messages are read.',
      'The request to DIGEST_MAIL_QUEUE carries `dedupKey` = `<sagaId>:<cycle>`: the verifier mails each key once, so a re-published request (relay after a crash, two instances) never sends a second mail.',
      'The `cooldown` timer (DIGEST_PERIOD_MS) starts with the request: one digest per period. Messages meanwhile are remembered and start the next wait when it ends.',
    ],
  },
];
