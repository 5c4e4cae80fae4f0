import type { ConfirmEmailCodeReply, ConfirmEmailCodeRequest } from '@ashchat/contracts';
import type { Logger } from '@ashchat/messaging';
import type { VerificationStore } from './verification.store.js';

export interface ConfirmCodeHandlerDeps {
  store: VerificationStore;
  logger: Logger;
  clock: () => number;
}

export function createConfirmCodeHandler(deps: ConfirmCodeHandlerDeps) {
  const { store, logger, clock } = deps;

  return async function handleConfirmCode(req: ConfirmEmailCodeRequest): Promise<ConfirmEmailCodeReply> {
    const started = clock();
    const { registrationId, requestId } = req;
    const { outcome, attemptsLeft } = await store.confirm(registrationId, requestId, req.codeDigest);
    logger.info({ registrationId, requestId, outcome, attemptsLeft, durationMs: clock() - started }, 'confirm request handled');
    return { registrationId, requestId, outcome, attemptsLeft };
  };
}
