/**
 * The registration load of a chaos run: a few concurrent workers, each registering one new address
 * after the other as a real client would (POST → code from the mail → POST the code, retrying what a
 * client retries), logging every step with its time. Codes and passwords never enter the log.
 *
 * Environment the chaos run's backends need (every request comes from 127.0.0.1, and the default
 * limits and timings are made for humans):
 *   REGISTRATION_RATE_LIMIT_PER_IP=100000, REGISTRATION_RATE_LIMIT_PER_EMAIL=100000,
 *   REGISTRATION_STATUS_RATE_LIMIT_PER_IP=100000, REGISTRATION_STATUS_RATE_LIMIT_PER_EMAIL=100000,
 *   REGISTRATION_MAIL_LIMIT_PER_HOUR=1000, REGISTRATION_MAIL_LIMIT_PER_DAY=1000 (retries of a POST mail again),
 *   REGISTRATION_RESEND_COOLDOWN_MS=1000 (else no resend happens within a run),
 *   VERIFIER_REQUEST_TIMEOUT_MS=45000: longer than two faults back to back take to recover (db-stop then
 *   amqp-close measured up to ~20 s together on a loaded machine); with 20000 a seed-99 quick run
 *   ended 2 registrations in `failed (verifier-timeout)` — documented, but it hides whether a request was lost.
 * A registration its client gave up on waits in `awaitingCode` until REGISTRATION_CODE_TTL_MS: the
 * tally counts it as abandoned, not stuck, until its expiry has passed.
 */
import { randomBytes } from 'node:crypto';
import { createMailbox, type Mailbox } from '@ashchat/testkit';
import { createRng } from './chaos.random.js';
import type { ChaosTarget, LoadHandle } from './chaos.types.js';

export type RegistrationStepKind = 'register' | 'mail' | 'verify' | 'status' | 'resend';

export interface RegistrationStep {
  at: number;
  kind: RegistrationStepKind;
  /** Index into target.backends (-1 for the mail API). */
  backend: number;
  /** HTTP status, 'network' for a transport error or timeout, 'arrived' for a mail. */
  result: number | 'network' | 'arrived';
  /** The error code of the body (`INVALID_CODE`…) or the registration status, when there was one. */
  detail?: string;
}

/** How the client saw its registration end. */
export type ClientOutcome = 'completed' | 'expired' | 'locked' | 'failed' | 'refused' | 'gave-up';

export interface RegistrationRecord {
  email: string;
  /** From the first 202; null when POST never answered 202 (then not accepted). */
  registrationId: string | null;
  accepted: boolean;
  startedAt: number;
  endedAt: number;
  outcome: ClientOutcome;
  /** Resends answered 202 (each one is a new code request). */
  resends: number;
  /** POSTs sent for this address (> 1 after a network error or 5xx). */
  registerAttempts: number;
  steps: RegistrationStep[];
}

export interface RegistrationLog {
  /** Every address of this load starts with it (`<prefix><n>@example.org`). */
  emailPrefix: string;
  records: RegistrationRecord[];
}

interface Answer {
  status: number | 'network';
  body: Record<string, unknown>;
  retryAfterMs: number | undefined;
}

const HTTP_TIMEOUT_MS = 10_000;
/** 409 answers that mean "not yet, try again shortly" (README of services/backend/src/registration). */
const NOT_YET = new Set(['REGISTRATION_PENDING', 'REGISTRATION_BUSY', 'VERIFICATION_IN_PROGRESS']);
const TERMINAL: Record<string, ClientOutcome> = { completed: 'completed', expired: 'expired', locked: 'locked', failed: 'failed' };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function call(base: string, method: string, path: string, body?: unknown): Promise<Answer> {
  try {
    const res = await fetch(new URL(path, base), {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      parsed = { code: 'NOT_JSON' };
    }
    const after = Number(res.headers.get('retry-after'));
    return { status: res.status, body: parsed, retryAfterMs: Number.isFinite(after) && after > 0 ? after * 1000 : undefined };
  } catch {
    return { status: 'network', body: {}, retryAfterMs: undefined };
  }
}

/** The six-digit code line of the verification mail (services/verifier mail.templates). */
const CODE_LINE = /^ {4}(\d{6})\s*$/m;

/** Code mails to exactly `email`, oldest first (Mailpit search, then an exact recipient check). */
export async function codeMailsTo(mailbox: Mailbox, email: string): Promise<{ id: string; code: string }[]> {
  const wanted = email.toLowerCase();
  const hits = (await mailbox.search(`to:"${email}"`, { limit: 100 })).filter((m) => m.To.some((a) => a.Address.toLowerCase() === wanted));
  hits.sort((a, b) => a.Created.localeCompare(b.Created));
  const mails: { id: string; code: string }[] = [];
  for (const hit of hits) {
    const code = CODE_LINE.exec((await mailbox.get(hit.ID)).Text)?.[1];
    if (code !== undefined) mails.push({ id: hit.ID, code });
  }
  return mails;
}

/** One line per registration for the progress log: start time, then each step at +seconds. */
export function traceOf(rec: RegistrationRecord): string {
  const steps = rec.steps.map((st) => `${st.kind}${st.backend >= 0 ? `@${st.backend}` : ''} ${st.result}${st.detail ? ` ${st.detail}` : ''} +${((st.at - rec.startedAt) / 1000).toFixed(1)}`);
  return `from ${new Date(rec.startedAt).toISOString().slice(11, 23)}: ${steps.join(', ')}`;
}

interface Options {
  quick: boolean;
}

/** One client registering one address; returns its record. Bounded by `giveUpAt`. */
async function registerOne(target: ChaosTarget, mailbox: Mailbox, rng: () => number, email: string, giveUpAt: number): Promise<RegistrationRecord> {
  const rec: RegistrationRecord = {
    email,
    registrationId: null,
    accepted: false,
    startedAt: Date.now(),
    endedAt: 0,
    outcome: 'gave-up',
    resends: 0,
    registerAttempts: 0,
    steps: [],
  };
  // Decided up front, three draws per registration, so the same seed makes the same choices whatever
  // the timing; the backend of each step comes from a stream of its own (how many steps varies).
  const wrongCodeFirst = rng() < 0.15;
  const wantResend = rng() < 0.25;
  const picks = createRng(Math.floor(rng() * 2 ** 32));
  const backendIndex = () => Math.floor(picks() * target.backends.length);
  const step = async (kind: RegistrationStepKind, method: string, path: string, body?: unknown): Promise<Answer> => {
    const i = backendIndex();
    const answer = await call(target.backends[i]!, method, path, body);
    const detail = typeof answer.body.code === 'string' ? answer.body.code : typeof answer.body.status === 'string' ? answer.body.status : undefined;
    rec.steps.push({ at: Date.now(), kind, backend: i, result: answer.status, ...(detail ? { detail } : {}) });
    return answer;
  };
  const retryable = (a: Answer) => a.status === 'network' || a.status >= 500;
  const done = (outcome: ClientOutcome): RegistrationRecord => Object.assign(rec, { outcome, endedAt: Date.now() });
  let backoff = 100;
  const backOff = async (a?: Answer) => {
    await sleep(Math.min(a?.retryAfterMs ?? backoff, 3000));
    backoff = Math.min(backoff * 2, 3000);
  };

  const deviceId = randomBytes(12).toString('base64url');

  // 1. POST until a 202 (a retry after a lost answer may start a second saga for the address: the tally allows it).
  for (;;) {
    if (Date.now() > giveUpAt) return done('gave-up');
    rec.registerAttempts += 1;
    const a = await step('register', 'POST', '/v1/registrations', {
      email,
      password: randomBytes(15).toString('base64url'),
      nickname: 'chaos user',
      preferredLanguage: 'en',
    });
    if (a.status === 202 && typeof a.body.registrationId === 'string') {
      rec.registrationId = a.body.registrationId;
      rec.accepted = true;
      break;
    }
    if (retryable(a) || a.status === 429) await backOff(a);
    else return done('refused');
  }
  const id = encodeURIComponent(rec.registrationId);
  backoff = 100;

  // The saga's status: ends the flow when it is terminal.
  const terminalStatus = async (): Promise<ClientOutcome | undefined> => {
    const a = await step('status', 'GET', `/v1/registrations/${id}`);
    return a.status === 200 && typeof a.body.status === 'string' ? TERMINAL[a.body.status] : undefined;
  };
  // 2. The next mail not seen yet (the resend's mail comes after the first one).
  const seen = new Set<string>();
  const nextCode = async (until = giveUpAt): Promise<string | undefined> => {
    let polls = 0;
    while (Date.now() < Math.min(until, giveUpAt)) {
      const fresh = (await codeMailsTo(mailbox, email).catch(() => [])).filter((m) => !seen.has(m.id));
      for (const m of fresh) seen.add(m.id);
      const newest = fresh.at(-1);
      if (newest) {
        rec.steps.push({ at: Date.now(), kind: 'mail', backend: -1, result: 'arrived' });
        return newest.code;
      }
      polls += 1;
      // A saga that failed before mailing never mails: look now and then.
      if (polls % 20 === 0 && (await terminalStatus()) !== undefined) return undefined;
      await sleep(150);
    }
    return undefined;
  };

  let code = await nextCode();
  if (code === undefined) return done((await terminalStatus()) ?? 'gave-up');

  if (wrongCodeFirst) {
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await step('verify', 'POST', `/v1/registrations/${id}/verification`, { code: wrong, deviceId });
  }
  if (wantResend) {
    for (let tries = 0; tries < 5 && Date.now() < giveUpAt; tries += 1) {
      const a = await step('resend', 'POST', `/v1/registrations/${id}/resend`, {});
      if (a.status === 202) {
        rec.resends += 1;
        code = (await nextCode()) ?? code;
        break;
      }
      if (!(retryable(a) || a.status === 429 || (a.status === 409 && NOT_YET.has(String(a.body.code))))) break;
      await backOff(a);
    }
  }

  // 3. Submit the newest code until a verdict.
  backoff = 100;
  while (Date.now() < giveUpAt) {
    const a = await step('verify', 'POST', `/v1/registrations/${id}/verification`, { code, deviceId, deviceName: 'chaos device' });
    const errorCode = String(a.body.code ?? '');
    if (a.status === 200 || (a.status === 409 && errorCode === 'REGISTRATION_ALREADY_COMPLETED')) return done('completed');
    if (a.status === 423) return done('locked');
    if (a.status === 410) return done(errorCode === 'REGISTRATION_EXPIRED' ? 'expired' : 'failed');
    if (a.status === 202 || (a.status === 409 && NOT_YET.has(errorCode))) {
      // Verdict pending: poll the status; `awaiting-code` again means the verifier timed out, so submit again.
      await sleep(150);
      const outcome = await terminalStatus();
      if (outcome !== undefined) return done(outcome);
      continue;
    }
    if (a.status === 422) {
      // Our code was refused: a newer mail (a redelivered request) may carry the valid one.
      code = (await nextCode(Date.now() + 5000)) ?? code;
      continue;
    }
    if (retryable(a) || a.status === 429) {
      await backOff(a);
      continue;
    }
    const outcome = await terminalStatus();
    if (outcome !== undefined) return done(outcome);
    await backOff(a);
  }
  return done((await terminalStatus()) ?? 'gave-up');
}

/**
 * Starts the closed loop: `workers` clients, each registering one new address after the other
 * until `target.deadline` or stop(). Each worker has its own PRNG derived from the target's.
 */
export function startRegistrationLoad(target: ChaosTarget, o: Options): Promise<LoadHandle<RegistrationLog>> {
  const workers = o.quick ? 3 : 4;
  const giveUpMs = o.quick ? 25_000 : 45_000;
  const tag = target.queueNamespace.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(-12) || 'run';
  const log: RegistrationLog = { emailPrefix: `chaos-reg-${tag}-`, records: [] };
  const mailbox = createMailbox(target.mailApiUrl);
  let stopped = false;
  let n = 0;
  const seeds = Array.from({ length: workers }, () => Math.floor(target.rng() * 2 ** 32));

  const worker = async (seed: number): Promise<void> => {
    const rng = createRng(seed);
    while (!stopped && Date.now() < target.deadline) {
      const email = `${log.emailPrefix}${(n += 1)}@example.org`;
      const rec = await registerOne(target, mailbox, rng, email, Date.now() + giveUpMs).catch((err: unknown) => {
        target.log(`registration load: ${email} threw ${String(err)}`);
        return undefined;
      });
      if (rec) log.records.push(rec);
      if (rec && rec.outcome !== 'completed') target.log(`registration load: ${email} ${rec.registrationId ?? ''} ended ${rec.outcome}: ${traceOf(rec)}`);
      // Not a synchronisation: the odd pause keeps the workers' requests from marching in step.
      await sleep(Math.floor(rng() * 50));
    }
  };
  const running = Promise.all(seeds.map(worker));
  return Promise.resolve({
    async stop() {
      stopped = true;
      await running;
    },
    async result() {
      await running;
      return log;
    },
  });
}
