// The recovery probe: one account of the chaos run's own, signed in once, whose authenticated
// GET /v1/me must succeed through every backend before a fault counts as recovered.
import { randomUUID } from 'node:crypto';
import type { SmtpSink } from '@ashchat/testkit';
import { call } from './chat.account.js';

/** The code line of every AshChat mail (text part): six digits, indented, alone. */
const CODE_LINE = /^ {4}(\d{6})\s*$/m;

export interface Probe {
  /** True when GET /v1/me answers 200 through `baseUrl` (signs in again if the token is refused). */
  ok(baseUrl: string): Promise<boolean>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers and signs in the probe account through `baseUrl`; codes come from the run's own SMTP sink. */
export async function createProbe(baseUrl: string, sink: SmtpSink, tag: string, timeoutMs = 60_000): Promise<Probe> {
  const email = `probe-${tag}@chaos.ashchat.test`.toLowerCase();
  const password = `probe-${randomUUID()}`;
  const deviceId = randomUUID();
  let deadline = Date.now() + timeoutMs;
  const used = new Set<string>();

  const nextCode = async (): Promise<string> => {
    for (;;) {
      for (const mail of sink.messages()) {
        if (!mail.To.some((to) => to.Address.toLowerCase() === email)) continue;
        const code = CODE_LINE.exec(mail.Text)?.[1];
        if (code !== undefined && !used.has(code)) {
          used.add(code);
          return code;
        }
      }
      if (Date.now() > deadline) throw new Error(`probe: no code mailed to ${email} in time`);
      await sleep(100);
    }
  };
  const until = async <T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> => {
    for (;;) {
      const value = await attempt().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`probe: ${what} did not happen in time`);
      await sleep(200);
    }
  };

  const created = await until('registration', async () => {
    const r = await call(baseUrl, 'POST', '/v1/registrations', { email, password, nickname: 'Chaos Probe', preferredLanguage: 'en' });
    return r.status === 202 || r.status === 201 ? String(r.body.registrationId) : undefined;
  });
  const code = await nextCode();
  await until('verification', async () => {
    const r = await call(baseUrl, 'POST', `/v1/registrations/${created}/verification`, { code });
    if (r.status === 200) return true;
    const s = await call(baseUrl, 'GET', `/v1/registrations/${created}`);
    return s.body.status === 'completed' ? true : undefined;
  });

  let token: string | undefined;
  const signIn = async (): Promise<string> => {
    const r = await until('sign-in', async () => {
      const a = await call(baseUrl, 'POST', '/v1/sessions', { email, password, deviceId, deviceName: 'chaos probe' });
      return a.status === 201 || a.status === 202 ? a : undefined;
    });
    if (r.status === 201) return String(r.body.accessToken);
    const challenge = String(r.body.challengeId);
    const deviceCode = await nextCode();
    return until('device challenge', async () => {
      const a = await call(baseUrl, 'POST', `/v1/sessions/challenges/${challenge}`, { code: deviceCode });
      return a.status === 201 ? String(a.body.accessToken) : undefined;
    });
  };
  token = await signIn();

  return {
    async ok(url) {
      try {
        const r = await call(url, 'GET', '/v1/me', undefined, token);
        if (r.status === 401) {
          deadline = Date.now() + 30_000;
          token = await signIn();
          return (await call(url, 'GET', '/v1/me', undefined, token)).status === 200;
        }
        return r.status === 200;
      } catch {
        return false;
      }
    },
  };
}
