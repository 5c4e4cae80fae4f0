/** Queue names are part of the contract between services; the first two come from the seed design. */
export const ACCOUNT_CREATION_QUEUE = 'ACCOUNT_CREATION_QUEUE';
export const CONFIRM_EMAIL_CODE_QUEUE = 'CONFIRM_EMAIL_CODE_QUEUE';
/** Durable, shared by every backend instance: any instance may take any saga reply. */
export const REGISTRATION_REPLY_QUEUE = 'REGISTRATION_REPLY_QUEUE';
/** Password reset: the verifier mails a reset code (request/reply). */
export const PASSWORD_RESET_CODE_QUEUE = 'PASSWORD_RESET_CODE_QUEUE';
/** New-device sign-in: the verifier mails a device code naming the device (request/reply). */
export const DEVICE_CODE_QUEUE = 'DEVICE_CODE_QUEUE';
/** Checks a submitted code of a password reset or a device challenge (request/reply). */
export const CONFIRM_CODE_QUEUE = 'CONFIRM_CODE_QUEUE';
/** One-way: mail an account notice (password changed, account deleted). No reply. */
export const ACCOUNT_NOTICE_QUEUE = 'ACCOUNT_NOTICE_QUEUE';
/** Durable, shared by every backend instance: replies to password-reset sagas. */
export const PASSWORD_RESET_REPLY_QUEUE = 'PASSWORD_RESET_REPLY_QUEUE';
/** Durable, shared by every backend instance: replies to device-challenge sagas. */
export const DEVICE_CHALLENGE_REPLY_QUEUE = 'DEVICE_CHALLENGE_REPLY_QUEUE';
/** One way, backend → backend: a message was stored (ids only); feeds the digest sagas. */
export const CHAT_MESSAGE_CREATED_QUEUE = 'CHAT_MESSAGE_CREATED_QUEUE';
/** The digest saga asks the verifier to mail a missed-message digest (request/reply). */
export const DIGEST_MAIL_QUEUE = 'DIGEST_MAIL_QUEUE';
/** Durable, shared by every backend instance: replies to digest sagas. */
export const DIGEST_REPLY_QUEUE = 'DIGEST_REPLY_QUEUE';
/** The backend asks the translator for a message's translations (request/reply). */
export const TRANSLATION_QUEUE = 'TRANSLATION_QUEUE';
/** Durable, shared by every backend instance: translations back from the translator. */
export const TRANSLATION_REPLY_QUEUE = 'TRANSLATION_REPLY_QUEUE';

/** Where consumers put messages they cannot process, with the reason in a header. */
export const DEAD_LETTER_EXCHANGE = 'ashchat.dead-letter';
export const deadLetterQueueName = (queue: string): string => `${queue}.dead-letter`;
/** Header carrying the reason a message was dead-lettered. */
export const DEAD_LETTER_REASON_HEADER = 'x-ashchat-dead-letter-reason';

export const QUEUE_NAMES = [
  ACCOUNT_CREATION_QUEUE,
  CONFIRM_EMAIL_CODE_QUEUE,
  REGISTRATION_REPLY_QUEUE,
  PASSWORD_RESET_CODE_QUEUE,
  DEVICE_CODE_QUEUE,
  CONFIRM_CODE_QUEUE,
  ACCOUNT_NOTICE_QUEUE,
  PASSWORD_RESET_REPLY_QUEUE,
  DEVICE_CHALLENGE_REPLY_QUEUE,
  CHAT_MESSAGE_CREATED_QUEUE,
  DIGEST_MAIL_QUEUE,
  DIGEST_REPLY_QUEUE,
  TRANSLATION_QUEUE,
  TRANSLATION_REPLY_QUEUE,
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * The physical name of a contract queue under a QUEUE_NAMESPACE (empty = the contract name). Both
 * services must apply the same rule, or requests and replies go to queues nobody consumes.
 */
export const namespacedQueue = (namespace: string, queue: string): string =>
  namespace === '' ? queue : `${namespace}.${queue}`;

/** Every contract queue under a namespace with its dead-letter queue: all a namespace's services may declare (what clean-ups delete). */
export const namespaceQueueNames = (namespace: string): string[] =>
  QUEUE_NAMES.map((q) => namespacedQueue(namespace, q)).flatMap((q) => [q, deadLetterQueueName(q)]);
