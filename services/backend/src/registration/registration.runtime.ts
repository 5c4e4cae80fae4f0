import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { createSagaRuntime, type OutboxPublisher, type SagaDocument, type Logger, type SagaRuntime, type SagaView } from '@ashchat/saga';
import type { UserRepository } from '../users/user.repository.js';
import { createUserEffect } from './create-user.effect.js';
import { CREATE_USER_EFFECT, type RegistrationMachine } from './registration.machine.js';
import { registrationSaga, type RegistrationIndex, type RegistrationStatusView } from './registration.saga.js';

export type RegistrationRuntime = SagaRuntime<RegistrationMachine, RegistrationStatusView, RegistrationIndex>;
export type RegistrationSagaView = SagaView<RegistrationMachine, RegistrationStatusView, RegistrationIndex>;

/** Collection of registration saga documents. */
export const REGISTRATIONS_COLLECTION = 'registrations';

export interface RegistrationRuntimeDeps {
  db: Db;
  users: UserRepository;
  indexesReady: () => Promise<void>;
  /** Already mapping contract queue names to physical ones (see routeToQueues). */
  publisher: OutboxPublisher;
  replyQueue: string;
  redis: Redis;
  subscriber: Redis;
  logger: Logger;
  sweepIntervalMs: number;
  relayIntervalMs: number;
  /** The saga write guard the database needs (database/database.capabilities.ts). */
  writeLock: 'redis' | 'none';
  clock?: () => number;
}

/** The registration machine on the durable saga runtime, with its one local effect (createUser). */
export function createRegistrationRuntime(d: RegistrationRuntimeDeps): RegistrationRuntime {
  const clock = d.clock ?? Date.now;
  return createSagaRuntime({
    definition: registrationSaga,
    collection: d.db.collection<SagaDocument>(REGISTRATIONS_COLLECTION),
    publisher: d.publisher,
    replyQueue: d.replyQueue,
    redis: d.redis,
    subscriber: d.subscriber,
    logger: d.logger,
    clock,
    effects: { [CREATE_USER_EFFECT]: createUserEffect({ users: d.users, indexesReady: d.indexesReady, clock }) },
    sweepIntervalMs: d.sweepIntervalMs,
    relayIntervalMs: d.relayIntervalMs,
    writeLock: d.writeLock,
  });
}
