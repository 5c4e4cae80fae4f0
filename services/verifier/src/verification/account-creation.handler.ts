import type { AccountCreationReply, AccountCreationRequest } from '@ashchat/contracts';
import { createCodeMailHandler, type CodeMailHandlerDeps } from './code-mail.handler.js';
import { renderAccountExistsMail, renderVerificationMail } from './mail.templates.js';

export interface AccountCreationHandlerDeps extends CodeMailHandlerDeps {
  config: CodeMailHandlerDeps['config'] & { publicWebUrl: string };
}

/** Registration: a code for a new address, or the "you already have an account" hint without one. */
export function createAccountCreationHandler(deps: AccountCreationHandlerDeps) {
  const issue = createCodeMailHandler(deps);
  const { publicWebUrl } = deps.config;

  return async function handleAccountCreation(req: AccountCreationRequest): Promise<AccountCreationReply> {
    const { registrationId, requestId, preferredLanguage } = req;
    const result = await issue({
      flowId: registrationId,
      requestId,
      expiresAt: req.expiresAt,
      logContext: { registrationId, requestId, accountExists: req.accountExists },
      handledMessage: 'account creation request handled',
      action: req.accountExists
        ? { kind: 'no-code', to: req.email, render: () => renderAccountExistsMail({ preferredLanguage, publicWebUrl }) }
        : {
            kind: 'code',
            to: req.email,
            render: (code, validForMs) =>
              renderVerificationMail({ preferredLanguage, nickname: req.nickname, code, registrationId, publicWebUrl, validForMs }),
          },
    });
    return { registrationId, requestId, ...result };
  };
}
