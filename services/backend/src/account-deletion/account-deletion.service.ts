import { createHmac } from 'node:crypto';
import type { SagaRuntime, SagaView } from '@ashchat/saga';
import { AppError } from '../errors/app-error.js';
import type { PasswordHasher } from '../security/password.hasher.js';
import type { UserRepository } from '../users/user.repository.js';
import type { AccountDeletionMachine } from './account-deletion.machine.js';
import type { AccountDeletionIndex, AccountDeletionStatusView } from './account-deletion.saga.js';

export type AccountDeletionRuntime = SagaRuntime<AccountDeletionMachine, AccountDeletionStatusView, AccountDeletionIndex>;
type View = SagaView<AccountDeletionMachine, AccountDeletionStatusView, AccountDeletionIndex>;

/** What the REST layer needs of one deletion. */
export interface AccountDeletion {
  id: string;
  view: AccountDeletionStatusView;
}

export interface AccountDeletionServiceDeps {
  runtime: Pick<AccountDeletionRuntime, 'start' | 'get' | 'watch'>;
  users: Pick<UserRepository, 'findById'>;
  hasher: Pick<PasswordHasher, 'verify'>;
  /** Counts one confirmation attempt of the user; throws RATE_LIMITED past the limit. */
  limit: (userId: string) => Promise<void>;
  /** Keys the deletion id: nobody without it can derive a user's deletion id. */
  secret: string;
  /** How many conversations or messages one step handles at a time. */
  batchSize: number;
  logger: { warn(obj: object, msg: string): void };
}

export interface AccountDeletionService {
  /** Checks the password (403 WRONG_PASSWORD), then starts the deletion, or answers the one already started. */
  start(userId: string, password: string): Promise<AccountDeletion>;
  get(id: string): Promise<AccountDeletion | null>;
}

/**
 * One deletion per account, whoever asks how often and on which instance: the id is an HMAC of the
 * user id (shaped as a UUID), and starting a saga is idempotent by id. Unguessable without the secret.
 */
export function deletionIdOf(secret: string, userId: string): string {
  const h = Buffer.from(createHmac('sha256', secret).update(`account-deletion:${userId}`).digest().subarray(0, 16));
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const toDeletion = (v: View): AccountDeletion => ({ id: v.id, view: v.status });

/** How long DELETE /v1/me waits for the saga document to be stored before it waits for the whole start. */
const STORED_WAIT_MS = 5_000;

export function createAccountDeletionService(deps: AccountDeletionServiceDeps): AccountDeletionService {
  return {
    async start(userId, password) {
      await deps.limit(userId);
      const user = await deps.users.findById(userId);
      // Gone already: the session that asked ends with the account.
      if (!user) throw new AppError('UNAUTHENTICATED');
      if (!(await deps.hasher.verify(user.passwordHash, password))) throw new AppError('WRONG_PASSWORD');
      const id = deletionIdOf(deps.secret, userId);
      // The runtime runs the steps inside `start` (each effect's result leads to the next step), so
      // the answer comes once the document is stored, and the steps go on without the request.
      const watch = deps.runtime.watch(id);
      try {
        const started = deps.runtime.start(id, {
          deletionId: id,
          userId,
          registrationId: user.registrationId,
          email: user.email,
          emailNormalized: user.emailNormalized,
          nickname: user.nickname,
          preferredLanguage: user.preferredLanguage,
          batchSize: deps.batchSize,
        }).then((r) => r.view);
        // A step that fails is retried by the relay; the document records how far it got.
        started.catch((err: unknown) => deps.logger.warn({ err, deletionId: id }, 'account deletion not carried through here; the relay resumes it'));
        const first = await Promise.race([started, watch.next(STORED_WAIT_MS).then(() => null)]);
        const view = first ?? (await deps.runtime.get(id)) ?? (await started);
        return toDeletion(view);
      } finally {
        watch.close();
      }
    },
    async get(id) {
      const view = await deps.runtime.get(id);
      return view ? toDeletion(view) : null;
    },
  };
}
