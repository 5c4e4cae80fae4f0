import type { CodeMailReply, PasswordResetCodeRequest } from '@ashchat/contracts';
import { createCodeMailHandler, type CodeMailHandlerDeps } from './code-mail.handler.js';
import { renderPasswordResetMail } from './account-mail.templates.js';

export interface PasswordResetHandlerDeps extends CodeMailHandlerDeps {
  config: CodeMailHandlerDeps['config'] & { publicWebUrl: string };
}

/**
 * Password reset: a code to the account's address. Without an account nothing is mailed, but a
 * pending entry that no code matches is kept and the reply is `code-sent`, so that a reset for an
 * unknown address cannot be told apart from one for a real account.
 */
export function createPasswordResetHandler(deps: PasswordResetHandlerDeps) {
  const issue = createCodeMailHandler(deps);
  const { publicWebUrl } = deps.config;

  return async function handlePasswordResetCode(req: PasswordResetCodeRequest): Promise<CodeMailReply> {
    const { resetId, requestId, preferredLanguage } = req;
    const result = await issue({
      flowId: resetId,
      requestId,
      expiresAt: req.expiresAt,
      logContext: { resetId, requestId, accountExists: req.accountExists },
      handledMessage: 'password reset code request handled',
      action: req.accountExists
        ? {
            kind: 'code',
            to: req.email,
            render: (code, validForMs) =>
              renderPasswordResetMail({ preferredLanguage, nickname: req.nickname, code, resetId, publicWebUrl, validForMs }),
          }
        : { kind: 'silent' },
    });
    return { flowId: resetId, requestId, ...result };
  };
}
