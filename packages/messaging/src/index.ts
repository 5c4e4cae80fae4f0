export type { Logger } from './logger.js';
export { createConsoleLogger, createSilentLogger, describeError } from './logger.js';
export { createAmqpConnection, redactAmqpUrl, type AmqpConnectionOptions } from './connection.js';
export {
  workQueue,
  deadLetterQueueFor,
  deadLetterQueue,
  deadLetterExchange,
  deadLetterBinding,
  publisherTopology,
  DELIVERY_LIMIT,
  DEAD_LETTER_EXCHANGE,
  DEAD_LETTER_REASON_HEADER,
} from './topology.js';
export {
  createTypedPublisher,
  UnroutableError,
  PublishTimeoutError,
  PublisherClosedError,
  type TypedPublisher,
  type TypedPublisherOptions,
  type SendProps,
} from './publisher.js';
export {
  createTypedConsumer,
  DEFAULT_PREFETCH,
  type HandlerResult,
  type TypedConsumer,
  type TypedConsumerOptions,
} from './consumer.js';
export { createResponder, type ResponderOptions } from './responder.js';
export {
  createRequestClient,
  RequestTimeoutError,
  RequestClientClosedError,
  InvalidReplyError,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type RequestClient,
} from './request-client.js';
export {
  decodeJson,
  ORIGINAL_QUEUE_HEADER,
  ORIGINAL_EXCHANGE_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
} from './dead-letter.js';
export { compileSchema, formatValidationErrors, validationReason, InvalidMessageError } from './validation.js';
