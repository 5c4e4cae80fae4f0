import type { ConfirmCodeReply, ConfirmCodeRequest, ConfirmEmailCodeReply, ConfirmEmailCodeRequest } from '@ashchat/contracts';
import type { Logger } from '@ashchat/messaging';
import type { ConfirmResult, VerificationStore } from './verification.store.js';

export interface ConfirmCodeHandlerDeps {
  store: VerificationStore;
  logger: Logger;
  clock: () => number;
}

function createConfirm(deps: ConfirmCodeHandlerDeps) {
  const { store, logger, clock } = deps;
  return async (flowId: string, requestId: string, digest: string, logContext: Record<string, unknown>): Promise<ConfirmResult> => {
    const started = clock();
    const { outcome, attemptsLeft } = await store.confirm(flowId, requestId, digest);
    logger.info({ ...logContext, requestId, outcome, attemptsLeft, durationMs: clock() - started }, 'confirm request handled');
    return { outcome, attemptsLeft };
  };
}

/** Registration (CONFIRM_EMAIL_CODE_QUEUE). */
export function createConfirmCodeHandler(deps: ConfirmCodeHandlerDeps) {
  const confirm = createConfirm(deps);
  return async function handleConfirmCode(req: ConfirmEmailCodeRequest): Promise<ConfirmEmailCodeReply> {
    const { registrationId, requestId } = req;
    return { registrationId, requestId, ...(await confirm(registrationId, requestId, req.codeDigest, { registrationId })) };
  };
}

/** Password reset and device challenge (CONFIRM_CODE_QUEUE): the same store, keyed by the flow id. */
export function createConfirmFlowCodeHandler(deps: ConfirmCodeHandlerDeps) {
  const confirm = createConfirm(deps);
  return async function handleConfirmFlowCode(req: ConfirmCodeRequest): Promise<ConfirmCodeReply> {
    const { flowId, requestId } = req;
    return { flowId, requestId, ...(await confirm(flowId, requestId, req.codeDigest, { flowId })) };
  };
}
