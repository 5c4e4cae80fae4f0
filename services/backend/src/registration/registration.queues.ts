import type { Static, TSchema } from '@sinclair/typebox';
import {
  ACCOUNT_CREATION_QUEUE,
  CONFIRM_EMAIL_CODE_QUEUE,
  REGISTRATION_REPLY_QUEUE,
  namespacedQueue,
} from '@ashchat/contracts';
import type { SendProps, TypedPublisher } from '@ashchat/messaging';

/** The physical queue names of the registration saga. */
export interface RegistrationQueues {
  accountCreation: string;
  confirmEmailCode: string;
  reply: string;
}

/**
 * The saga's queues under QUEUE_NAMESPACE. Lets several environments or test runs share one broker:
 * each only ever sees its own requests and replies.
 */
export function registrationQueues(namespace: string): RegistrationQueues {
  const name = (queue: string): string => namespacedQueue(namespace, queue);
  return {
    accountCreation: name(ACCOUNT_CREATION_QUEUE),
    confirmEmailCode: name(CONFIRM_EMAIL_CODE_QUEUE),
    reply: name(REGISTRATION_REPLY_QUEUE),
  };
}

/**
 * The machine and its persisted outbox speak the contract names; this publisher maps them to the
 * physical queues at send time, so a namespace never leaks into saga documents or the state chart.
 */
export function routeToQueues(publisher: TypedPublisher, queues: RegistrationQueues): TypedPublisher {
  const physical: Record<string, string> = {
    [ACCOUNT_CREATION_QUEUE]: queues.accountCreation,
    [CONFIRM_EMAIL_CODE_QUEUE]: queues.confirmEmailCode,
    [REGISTRATION_REPLY_QUEUE]: queues.reply,
  };
  return {
    send<S extends TSchema>(queue: string, schema: S, body: Static<S>, props?: SendProps): Promise<void> {
      return publisher.send(physical[queue] ?? queue, schema, body, props);
    },
    close: () => publisher.close(),
  };
}
