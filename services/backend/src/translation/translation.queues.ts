import { TRANSLATION_QUEUE, TRANSLATION_REPLY_QUEUE } from '@ashchat/contracts';

/** The translation queues as the backend uses them (the generated AsyncAPI's test ties them to the catalogue). */
export const TRANSLATION_BACKEND_QUEUES = {
  /** Requests to the translator. */
  sends: [TRANSLATION_QUEUE],
  /** The translator's replies, consumed by any instance. */
  replies: [TRANSLATION_REPLY_QUEUE],
} as const;
