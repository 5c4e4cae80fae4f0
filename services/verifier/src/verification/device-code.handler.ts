import { challengeDenialToken, type CodeMailReply, type DeviceCodeRequest } from '@ashchat/contracts';
import { createCodeMailHandler, type CodeMailHandlerDeps } from './code-mail.handler.js';
import { renderDeviceCodeMail } from './account-mail.templates.js';

export interface DeviceCodeHandlerDeps extends CodeMailHandlerDeps {
  config: CodeMailHandlerDeps['config'] & { publicWebUrl: string };
}

/**
 * New-device sign-in: a code naming the device and the time, and a "this was not me" link whose
 * token is derived here (challengeDenialToken), so it never travels through a queue.
 */
export function createDeviceCodeHandler(deps: DeviceCodeHandlerDeps) {
  const issue = createCodeMailHandler(deps);
  const { publicWebUrl, verificationCodeSecret } = deps.config;

  return async function handleDeviceCode(req: DeviceCodeRequest): Promise<CodeMailReply> {
    const { challengeId, requestId } = req;
    const result = await issue({
      flowId: challengeId,
      requestId,
      expiresAt: req.expiresAt,
      logContext: { challengeId, requestId },
      handledMessage: 'device code request handled',
      action: {
        kind: 'code',
        to: req.email,
        render: (code, validForMs) =>
          renderDeviceCodeMail({
            preferredLanguage: req.preferredLanguage,
            nickname: req.nickname,
            code,
            challengeId,
            denialToken: challengeDenialToken(verificationCodeSecret, challengeId),
            deviceName: req.deviceName,
            requestedAt: req.requestedAt,
            publicWebUrl,
            validForMs,
          }),
      },
    });
    return { flowId: challengeId, requestId, ...result };
  };
}
