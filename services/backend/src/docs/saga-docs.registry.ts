/**
 * Every saga the backend runs, with what its generated page needs beyond the machine itself.
 * A new saga is added here; docs.generate.test.ts fails while a saga defined in the services has no entry.
 */
import { REGISTRATION_REPLY_QUEUE, RegistrationReply } from '@ashchat/contracts';
import type { AnySagaDefinition } from '@ashchat/saga';
import type { TSchema } from '@sinclair/typebox';
import { REGISTRATION_STATE_STATUS, registrationSaga } from '../registration/registration.saga.js';

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

export const SAGA_DOCS: readonly SagaDocEntry[] = [
  {
    definition: registrationSaga as unknown as AnySagaDefinition,
    title: 'Registration saga',
    source: 'services/backend/src/registration/registration.machine.ts',
    replies: { queue: REGISTRATION_REPLY_QUEUE, schema: RegistrationReply },
    statusOf: (state) => {
      const s = REGISTRATION_STATE_STATUS[state];
      return s ? `\`${s.status}\`${s.reason ? ` (${s.reason})` : ''}` : '—';
    },
    notes: [
      'Replies whose `requestId` is not the pending request are stale and change nothing (no transition).',
      '`saga.timeout` events come from Redis key expiry or the reconciliation sweep; `timerDue(name)` accepts only the current token of that timer once it is due.',
      '`accountExists = true` follows exactly the same states (the verifier sends a different mail), so the flow reveals nothing.',
      'The password hash lives only in the saga context; every final state clears it.',
    ],
  },
];
