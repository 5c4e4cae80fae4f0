// The composition root and what it is made from.
export { createBackend, type BackendOptions } from './backend.js';
export { buildApp, fastifyOptions, type AppOptions } from './app.js';
export { BackendConfigSchema, loadBackendConfig, type BackendConfig } from './config.js';
export { AppError, isAppError, type AppErrorOptions } from './errors/app-error.js';
export { errorBody } from './plugins/error-handler.plugin.js';
export type { AmqpConnection } from './plugins/amqp.plugin.js';
export { DOCS_PREFIX } from './docs/openapi.plugin.js';

// The sagas as the generated documents describe them (the same registry serves /docs/sagas).
export { SAGA_DOCS, type SagaDocEntry } from './docs/saga-docs.registry.js';
export { renderSagaFlow, replyOrigins, type ReplyOrigin } from './docs/saga-flow.render.js';
export { registrationSaga } from './registration/registration.saga.js';
export { registrationMachine } from './registration/registration.machine.js';
export { registrationQueues, type RegistrationQueues } from './registration/registration.queues.js';
export { queueRoutes, type QueueRoutes } from './sagas/saga.queues.js';
export { BACKEND_EVENT_QUEUES } from './digest/digest.events.js';
export { TRANSLATION_BACKEND_QUEUES } from './translation/translation.queues.js';

// The stored shapes, for tools that seed a database the way the service writes it (benchmarks).
export { createPasswordHasher, DEFAULT_PASSWORD_HASHING, type PasswordHasherOptions } from './security/password.hasher.js';
export { normalizeNickname } from './users/nickname.js';
export { createUserRepository } from './users/user.repository.js';
export { createDeviceRepository } from './devices/device.repository.js';
export { hashClientDeviceId } from './devices/device-id.js';
export { encodeMessageCursor } from './chat/chat.cursor.js';
export type { MessageDocument } from './chat/message.repository.js';
