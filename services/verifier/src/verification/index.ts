export {
  startVerificationWorker,
  sendLeaseMs,
  type VerificationWorker,
  type VerificationWorkerConfig,
  type VerificationWorkerDeps,
  type VerificationQueues,
} from './verification.worker.js';
export { createMailer, withRetry, backoffDelay, RetriesExhaustedError, type Mailer, type OutgoingMail } from './mailer.js';
export {
  createVerificationStore,
  verificationKey,
  verificationRequestsKey,
  verificationResultKey,
  type VerificationStore,
} from './verification.store.js';
export { generateVerificationCode, CODE_LENGTH } from './verification-code.js';
export { renderVerificationMail, renderAccountExistsMail, resolveMailLanguage } from './mail.templates.js';
export { renderPasswordResetMail, renderDeviceCodeMail, renderAccountNoticeMail } from './account-mail.templates.js';
export { createAccountNoticeStore, accountNoticeKey, type AccountNoticeStore } from './account-notice.store.js';
