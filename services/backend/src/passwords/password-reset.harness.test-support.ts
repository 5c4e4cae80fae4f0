/** Test-only helpers for the password-reset and password-change integration tests (on the registration harness). */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { CodeFlowStatus } from '@ashchat/contracts';
import type { TypedPublisher } from '@ashchat/messaging';
import { waitFor, type MailDetail } from '@ashchat/testkit';

/** Generous reset limits for the harness (its own are the registration's): only the limit tests set them low. */
export const HIGH_RESET_LIMITS = {
  PASSWORD_RESET_RATE_LIMIT_PER_IP: '100000',
  PASSWORD_RESET_RATE_LIMIT_PER_EMAIL: '100000',
  PASSWORD_RESET_MAIL_LIMIT_PER_HOUR: '100000',
  PASSWORD_RESET_MAIL_LIMIT_PER_DAY: '100000',
  AUTH_RATE_LIMIT_PER_ACCOUNT: '100000',
  AUTH_RATE_LIMIT_PER_IP: '100000',
};

export const NEW_PASSWORD = 'a brand new horse battery';
export const NOTICE_SUBJECT = 'Your AshChat password was changed';

export async function startReset(app: FastifyInstance, email: string, remoteAddress?: string): Promise<{ res: LightMyRequestResponse; id: string }> {
  const res = await app.inject({ method: 'POST', url: '/v1/password-resets', payload: { email }, ...(remoteAddress ? { remoteAddress } : {}) });
  return { res, id: res.statusCode === 202 ? res.json<{ resetId: string }>().resetId : '' };
}

export function verifyReset(app: FastifyInstance, id: string, code: string, newPassword = NEW_PASSWORD): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/v1/password-resets/${id}/verification`, payload: { code, newPassword } });
}

export function resendReset(app: FastifyInstance, id: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/v1/password-resets/${id}/resend` });
}

export async function resetView(app: FastifyInstance, id: string): Promise<Record<string, unknown>> {
  return (await app.inject({ method: 'GET', url: `/v1/password-resets/${id}` })).json();
}

/** Polls GET status until it is `status`; returns the body. */
export function waitForReset(app: FastifyInstance, id: string, status: CodeFlowStatus, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      const body = await resetView(app, id);
      return body.status === status ? body : undefined;
    },
    { timeoutMs, intervalMs: 25, message: `password reset ${id} to be ${status}` },
  );
}

/** The reset mail whose link names `resetId`. */
export function resetMailFor(mails: readonly MailDetail[], resetId: string): MailDetail {
  const mail = mails.find((m) => m.Text.includes(`reset=${resetId}`));
  if (!mail) throw new Error(`no mail for reset ${resetId}`);
  return mail;
}

/** POST /v1/sessions with a password (the device check comes after the password check: 401 first). */
export function signInWith(app: FastifyInstance, email: string, password: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password, deviceId: 'password-test-device-0001' } });
}

/** Records every message the backend publishes (queue, body, properties) before passing it on. */
export function recordingPublisher(sent: Array<{ queue: string; body: unknown; props: unknown }>) {
  return (real: TypedPublisher): TypedPublisher => ({
    async send(queue, schema, body, props) {
      sent.push({ queue, body, props });
      return real.send(queue, schema, body, props);
    },
    close: () => real.close(),
  });
}
