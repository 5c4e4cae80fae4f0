/** Test-only helpers for the device-challenge integration tests (excluded from the build): the registration harness's real verifier and SMTP sink. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { waitFor, type MailDetail } from '@ashchat/testkit';
import { codeFromMail, register, registrationBody, uniqueEmail, verify, type RegistrationHarness } from '../registration/registration.harness.test-support.js';

/** A client device id the account does not trust (the registration completes from HARNESS_DEVICE_ID). */
export const NEW_DEVICE_ID = 'new-phone-device-00000000001';

/** Registers an account through the saga (from HARNESS_DEVICE_ID, which becomes trusted); its address. */
export async function registeredAccount(h: RegistrationHarness, app: FastifyInstance, label = 'device'): Promise<string> {
  const email = uniqueEmail(label);
  const { id } = await register(app, registrationBody(email));
  const [mail] = await h.waitForMails(email);
  await h.waitForStatus(app, id, 'awaiting-code');
  const res = await verify(app, id, codeFromMail(mail!));
  if (res.statusCode !== 200) throw new Error(`registration answered ${res.statusCode}: ${res.body}`);
  return email;
}

/** The device mail of a challenge (its deny link names it). */
export async function challengeMail(h: RegistrationHarness, email: string, challengeId: string, count = 2): Promise<MailDetail> {
  const mails = await h.waitForMails(email, count);
  const mail = mails.find((m) => m.Text.includes(`challenge=${challengeId}`));
  if (!mail) throw new Error(`no device mail for challenge ${challengeId}`);
  return mail;
}

/** The token of the mail's "this was not me" link. */
export function denialTokenFromMail(mail: Pick<MailDetail, 'Text'>): string {
  const match = /[?&]deny=([A-Za-z0-9_-]{43})/.exec(mail.Text);
  if (!match?.[1]) throw new Error('no denial link in the mail');
  return match[1];
}

export const challengeUrl = (id: string): string => `/v1/sessions/challenges/${id}`;

export function submitCode(app: FastifyInstance, id: string, code: string, remoteAddress?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: challengeUrl(id), payload: { code }, ...(remoteAddress ? { remoteAddress } : {}) });
}

export function deny(app: FastifyInstance, id: string, token: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `${challengeUrl(id)}/denial`, payload: { token } });
}

/** Polls the challenge until `status` (bounded); returns its view. */
export function waitForChallenge(app: FastifyInstance, id: string, status: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      const res = await app.inject({ method: 'GET', url: challengeUrl(id) });
      const body = res.json<Record<string, unknown>>();
      return res.statusCode === 200 && body.status === status ? body : undefined;
    },
    { timeoutMs, intervalMs: 25, message: `challenge ${id} to be ${status}` },
  );
}
