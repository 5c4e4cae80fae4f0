import {
  ACCOUNT_CREATION_QUEUE,
  CONFIRM_EMAIL_CODE_QUEUE,
  REGISTRATION_REPLY_QUEUE,
  namespacedQueue,
} from '@ashchat/contracts';

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
