import { randomBytes } from 'node:crypto';
import { createMailbox, type Mailbox } from '@ashchat/testkit';

// The chat load's users, made the way a person makes them: register (code from the mail), sign in
// from the registering device (trusted), and a second device through its mailed challenge code.

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface Session {
  accessToken: string;
}

export interface ChatUser {
  index: number;
  email: string;
  userId: string;
  /** One access token per device (index 0 = the registering device). */
  devices: Array<{ deviceId: string; token: string }>;
}

/** Answers that mean "not yet, ask again shortly" (the saga has not caught up with the mail). */
const NOT_YET = new Set(['REGISTRATION_PENDING', 'REGISTRATION_BUSY', 'VERIFICATION_IN_PROGRESS', 'CODE_FLOW_PENDING', 'CODE_FLOW_BUSY', 'SESSION_BUSY']);
const SETUP_TIMEOUT_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function call(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    parsed = { raw: text.slice(0, 200) };
  }
  return { status: res.status, body: parsed };
}

/**
 * Setup calls ride out faults and rate limits: retried on network errors, 5xx, 429 (after its
 * Retry-After) and "not yet" 409s, until `okStatus` or SETUP_TIMEOUT_MS. Other answers throw.
 */
async function settle(what: string, attempt: () => Promise<HttpAnswer>, okStatus: readonly number[]): Promise<HttpAnswer> {
  const giveUp = Date.now() + SETUP_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < giveUp) {
    let answer: HttpAnswer | undefined;
    try {
      answer = await attempt();
    } catch (error) {
      last = (error as Error).message;
    }
    if (answer && okStatus.includes(answer.status)) return answer;
    if (answer) {
      last = `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
      const code = String(answer.body.code ?? '');
      const retryable = answer.status >= 500 || answer.status === 429 || (answer.status === 409 && NOT_YET.has(code));
      if (!retryable) throw new Error(`${what} answered ${last}`);
      const retryAfter = Number((answer.body.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 0);
      if (answer.status === 429) await sleep(Math.min(Math.max(retryAfter, 200), 5_000));
    }
    await sleep(100);
  }
  throw new Error(`${what} did not succeed within ${SETUP_TIMEOUT_MS} ms (last: ${last})`);
}

/** The six-digit code line of a verification or device mail. */
export function codeFromText(text: string): string | undefined {
  return /^\s+(\d{6})\s*$/m.exec(text)?.[1];
}

/** The code of the mail to `email` whose text contains `marker` (its link names the flow). */
async function codeFor(mailbox: Mailbox, email: string, marker: string): Promise<string> {
  const giveUp = Date.now() + SETUP_TIMEOUT_MS;
  const seen = new Set<string>();
  while (Date.now() < giveUp) {
    const hits = await mailbox.search(`to:"${email}"`).catch(() => []);
    for (const hit of hits) {
      if (seen.has(hit.ID)) continue;
      seen.add(hit.ID);
      const mail = await mailbox.get(hit.ID).catch(() => undefined);
      const code = mail?.Text.includes(marker) ? codeFromText(mail.Text) : undefined;
      if (code) return code;
      if (!mail) seen.delete(hit.ID);
    }
    await sleep(100);
  }
  throw new Error(`no mail with ${marker} to ${email} within ${SETUP_TIMEOUT_MS} ms`);
}

export interface AccountOptions {
  mailApiUrl: string;
  /** Where each call goes (a seeded choice among the backends). */
  backend: () => string;
  /** Unique per run, so two runs never share an address. */
  runTag: string;
}

/** Registers user `index`, signs its devices in (`devices` = 1 or 2); the password stays in memory only. */
export async function createChatUser(o: AccountOptions, index: number, devices: number, language: 'en' | 'es'): Promise<ChatUser> {
  const mailbox = createMailbox(o.mailApiUrl);
  const email = `chaos-chat-${o.runTag}-${index}@example.org`;
  const password = randomBytes(12).toString('base64url');
  const deviceIds = Array.from({ length: devices }, (_, d) => `chaos-${o.runTag}-${index}-${d}-${randomBytes(6).toString('hex')}`);
  const created = await settle(
    'register',
    () => call(o.backend(), 'POST', '/v1/registrations', { email, password, nickname: `chaos ${index}`, preferredLanguage: language }),
    [202],
  );
  const registrationId = String(created.body.registrationId);
  const code = await codeFor(mailbox, email, `registration=${registrationId}`);
  const verified = await settle(
    'verify',
    () => call(o.backend(), 'POST', `/v1/registrations/${registrationId}/verification`, { code, deviceId: deviceIds[0], deviceName: 'chaos device 0' }),
    [200, 202],
  );
  if (verified.status === 202) {
    await settle(
      'registration status',
      async () => {
        const answer = await call(o.backend(), 'GET', `/v1/registrations/${registrationId}`);
        return answer.body.status === 'completed' ? answer : { status: 409, body: { code: 'REGISTRATION_PENDING' } };
      },
      [200],
    );
  }
  const tokens: Array<{ deviceId: string; token: string }> = [];
  for (const [d, deviceId] of deviceIds.entries()) tokens.push({ deviceId, token: await signIn(o, mailbox, email, password, deviceId, d) });
  const me = await settle('GET /v1/me', () => call(o.backend(), 'GET', '/v1/me', undefined, tokens[0]!.token), [200]);
  return { index, email, userId: String(me.body.id), devices: tokens };
}

/** POST /v1/sessions; a device the account does not trust yet goes through its mailed challenge. */
async function signIn(o: AccountOptions, mailbox: Mailbox, email: string, password: string, deviceId: string, d: number): Promise<string> {
  const body = { email, password, deviceId, deviceName: `chaos device ${d}` };
  const answer = await settle('sign in', () => call(o.backend(), 'POST', '/v1/sessions', body), [201, 202]);
  if (answer.status === 201) return String(answer.body.accessToken);
  const challengeId = String(answer.body.challengeId);
  const code = await codeFor(mailbox, email, `challenge=${challengeId}`);
  const done = await settle('device challenge', () => call(o.backend(), 'POST', `/v1/sessions/challenges/${challengeId}`, { code }), [201]);
  return String(done.body.accessToken);
}

/** POST /v1/conversations as `token`'s user; the conversation's id. */
export async function createConversation(backend: string, token: string, body: unknown): Promise<string> {
  const answer = await settle('create conversation', () => call(backend, 'POST', '/v1/conversations', body, token), [200, 201]);
  return String(answer.body.id);
}
