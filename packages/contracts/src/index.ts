export * from './queues.js';
export * from './common.schema.js';
export * from './verification.messages.js';
export * from './code-digest.js';
export * from './errors.js';
export * from './registration.http.js';
export * from './health.http.js';
export * from './messaging.catalogue.js';
