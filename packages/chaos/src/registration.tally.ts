/**
 * Accounting of the registration load, after the quiet period, from the database (the saga
 * documents in `registrations`, the `users`), the mails in the SMTP sink and the clients' log.
 *
 * Terms (one address per registration: the load never reuses one):
 * - accepted: the client got `202` with a registrationId for its POST.
 * - completed: the saga of an accepted registration is `completed` and its user exists.
 * - terminal: the saga is final but not completed — `expired`, `locked`, `failed (verifier-failed |
 *   verifier-timeout | email-taken)`; documented outcomes (services/backend/src/registration/README.md).
 * - in flight: the saga exists but is not final after the quiet period — a stuck saga: a failure.
 *   Except `awaitingCode` before its expiry: the system did its part (the code was mailed) and waits
 *   for a user who gave up (the client's own bound); counted as "abandoned", not a failure. Past its
 *   expiry (plus a grace) it is stuck: the expiry timer did not fire.
 * - lost: accepted, but no saga document with that id; or the saga completed without a user; or
 *   the client was answered `completed` and the saga or the user is not there; or the saga got past
 *   `requestingCode` (the verifier replied code-sent) and no code mail reached the address.
 * - duplicated: two users for one address; or two completed sagas for one address (a POST retried
 *   after a lost answer may start a second saga — allowed, as long as at most one completes);
 *   or more code mails to an address than code requests its sagas made (1 + resends each): a resend
 *   is a new request, so its mail is not a duplicate; a second mail for the same request is.
 * - also a failure: a user whose saga is not completed (a user created behind the saga's back).
 */
import { MongoClient } from 'mongodb';
import { createMailbox } from '@ashchat/testkit';
import type { ChaosTarget, Tally } from './chaos.types.js';
import { codeMailsTo, type RegistrationLog, type RegistrationRecord } from './registration.load.js';

/** What the tally needs of one saga document. */
export interface SagaFacts {
  id: string;
  email: string;
  /** Machine state, e.g. `completed`, `requestTimedOut`. */
  state: string;
  final: boolean;
  /** REST status (`failed`, `expired`…) and reason of a failed one. */
  status: string;
  reason: string | null;
  resends: number;
  /** When the code expires (ms), from the status projection; null when none is running. */
  expiresAt: number | null;
}

export interface UserFacts {
  id: string;
  registrationId: string;
  email: string;
}

export interface RegistrationFacts {
  records: readonly RegistrationRecord[];
  sagas: readonly SagaFacts[];
  users: readonly UserFacts[];
  /** Code mails per address (lower case). */
  mails: ReadonlyMap<string, number>;
  /** When the facts were read (ms). */
  now: number;
}

/** How late an expiry may fire (the sweep's period, the timer's delay) before the saga counts as stuck. */
export const EXPIRY_GRACE_MS = 10_000;
/** States reached only after the verifier replied code-sent: a code mail must exist. */
const MAILED_STATES = new Set(['awaitingCode', 'verifyingCode', 'creatingUser', 'completed', 'locked']);

export interface RegistrationCounts {
  accepted: number;
  completed: number;
  terminal: Record<string, number>;
  inFlight: number;
  /** Awaiting a code its client no longer submits (before expiry): not a failure. */
  abandoned: number;
  lost: number;
  duplicated: number;
  /** Sagas of this load's addresses that no 202 reported (a POST answer lost in a fault). */
  unacknowledged: number;
  clientOutcomes: Record<string, number>;
  failures: string[];
}

const bump = (m: Record<string, number>, k: string) => void (m[k] = (m[k] ?? 0) + 1);

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

const waitsForUser = (saga: SagaFacts, now: number): boolean =>
  saga.state === 'awaitingCode' && saga.expiresAt !== null && saga.expiresAt + EXPIRY_GRACE_MS > now;

/** The pure accounting (unit-tested); `facts` must already be scoped to this load's addresses. */
export function classifyRegistrations(facts: RegistrationFacts): RegistrationCounts {
  const c: RegistrationCounts = { accepted: 0, completed: 0, terminal: {}, inFlight: 0, abandoned: 0, lost: 0, duplicated: 0, unacknowledged: 0, clientOutcomes: {}, failures: [] };
  const sagaById = new Map(facts.sagas.map((s) => [s.id, s]));
  const userById = new Map(facts.users.map((u) => [u.id, u]));
  const acceptedIds = new Set<string>();

  for (const rec of facts.records) {
    bump(c.clientOutcomes, rec.outcome);
    if (!rec.accepted || rec.registrationId === null) continue;
    c.accepted += 1;
    acceptedIds.add(rec.registrationId);
    const saga = sagaById.get(rec.registrationId);
    const user = userById.get(rec.registrationId);
    if (!saga) {
      c.lost += 1;
      c.failures.push(`registration ${rec.registrationId} lost: accepted, but no saga document`);
    } else if (MAILED_STATES.has(saga.state) && (facts.mails.get(saga.email.toLowerCase()) ?? 0) === 0) {
      c.lost += 1;
      c.failures.push(`registration ${rec.registrationId} lost: ${saga.state}, but no code mail reached ${saga.email}`);
    } else if (waitsForUser(saga, facts.now)) {
      c.abandoned += 1;
    } else if (!saga.final) {
      c.inFlight += 1;
      c.failures.push(`registration ${rec.registrationId} stuck in ${saga.state} after the quiet period`);
    } else if (saga.state === 'completed' && !user) {
      c.lost += 1;
      c.failures.push(`registration ${rec.registrationId} lost: completed without a user`);
    } else if (rec.outcome === 'completed' && saga.state !== 'completed') {
      c.lost += 1;
      c.failures.push(`registration ${rec.registrationId} lost: the client was told completed, the saga is ${saga.state}`);
    } else if (saga.state === 'completed') c.completed += 1;
    else bump(c.terminal, saga.reason ? `${saga.status} (${saga.reason})` : saga.status);
  }

  for (const saga of facts.sagas) if (!acceptedIds.has(saga.id)) c.unacknowledged += 1;
  // Sagas no client saw accepted are not counted above; a stuck one is still a failure.
  for (const saga of facts.sagas) {
    if (!acceptedIds.has(saga.id) && !saga.final && !waitsForUser(saga, facts.now)) {
      c.inFlight += 1;
      c.failures.push(`unacknowledged registration ${saga.id} stuck in ${saga.state} after the quiet period`);
    }
  }

  for (const user of facts.users) {
    if (sagaById.get(user.registrationId)?.state !== 'completed') {
      c.failures.push(`user ${user.id} exists but its registration ${user.registrationId} is ${sagaById.get(user.registrationId)?.state ?? 'missing'}`);
    }
  }
  for (const [email, users] of groupBy(facts.users, (u) => u.email.toLowerCase())) {
    if (users.length > 1) {
      c.duplicated += users.length - 1;
      c.failures.push(`${users.length} users for ${email}`);
    }
  }
  const sagasByEmail = groupBy(facts.sagas, (s) => s.email.toLowerCase());
  for (const [email, sagas] of sagasByEmail) {
    const completed = sagas.filter((s) => s.state === 'completed').length;
    if (completed > 1) {
      c.duplicated += completed - 1;
      c.failures.push(`${completed} completed registrations for ${email}`);
    }
    const requests = sagas.reduce((sum, s) => sum + 1 + s.resends, 0);
    const mails = facts.mails.get(email) ?? 0;
    if (mails > requests) {
      c.duplicated += mails - requests;
      c.failures.push(`${mails} code mails to ${email} for ${requests} code request(s)`);
    }
  }
  for (const [email, mails] of facts.mails) {
    if (mails > 0 && !sagasByEmail.has(email)) {
      c.duplicated += mails;
      c.failures.push(`${mails} code mail(s) to ${email} without any registration`);
    }
  }
  return c;
}

/** Reads the saga documents and users of this load's addresses, and counts their code mails. */
export async function readRegistrationFacts(target: ChaosTarget, log: RegistrationLog): Promise<RegistrationFacts> {
  const emails = [...new Set(log.records.map((r) => r.email.toLowerCase()))];
  const client = new MongoClient(target.mongodbUri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const db = client.db(target.mongodbDb);
    const sagaDocs = await db
      .collection<{ _id: string; state: string; final: boolean; status: { status?: string; reason?: string | null; expiresAt?: number | null }; index: { emailNormalized?: string }; snapshot: string }>('registrations')
      .find({ machine: 'registration', 'index.emailNormalized': { $in: emails } })
      .toArray();
    const sagas: SagaFacts[] = sagaDocs.map((d) => {
      const context = (JSON.parse(d.snapshot) as { context?: { resends?: number } }).context ?? {};
      return {
        id: d._id,
        email: d.index.emailNormalized ?? '',
        state: d.state,
        final: d.final,
        status: d.status.status ?? 'unknown',
        reason: d.status.reason ?? null,
        resends: context.resends ?? 0,
        expiresAt: d.status.expiresAt ?? null,
      };
    });
    const userDocs = await db
      .collection<{ _id: string; registrationId: string; emailNormalized: string }>('users')
      .find({ emailNormalized: { $in: emails } }, { projection: { _id: 1, registrationId: 1, emailNormalized: 1 } })
      .toArray();
    const users = userDocs.map((u) => ({ id: u._id, registrationId: u.registrationId, email: u.emailNormalized }));
    const mailbox = createMailbox(target.mailApiUrl);
    const mails = new Map<string, number>();
    for (const email of emails) mails.set(email, (await codeMailsTo(mailbox, email)).length);
    return { records: log.records, sagas, users, mails, now: Date.now() };
  } finally {
    await client.close();
  }
}

/** Answers the clients retried or waited on (network errors, 5xx, 409 not-yet…), per step: shows where the faults hit. */
export function troubleSummary(records: readonly RegistrationRecord[]): string {
  const counts: Record<string, number> = {};
  for (const step of records.flatMap((r) => r.steps)) {
    if (step.result === 'arrived' || (typeof step.result === 'number' && step.result < 300)) continue;
    // A wrong code sent on purpose and the resend cooldown are part of the load, not trouble.
    if (step.detail === 'INVALID_CODE' || step.detail === 'RESEND_COOLDOWN') continue;
    bump(counts, `${step.kind} ${step.result}${step.detail ? ` ${step.detail}` : ''}`);
  }
  const parts = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

export async function tallyRegistrations(target: ChaosTarget, log: RegistrationLog): Promise<Tally> {
  const c = classifyRegistrations(await readRegistrationFacts(target, log));
  const terminal = Object.entries(c.terminal).map(([k, v]) => `${k}: ${v}`).join(', ');
  const clients = Object.entries(c.clientOutcomes).map(([k, v]) => `${k}: ${v}`).join(', ');
  return {
    section: 'Registrations',
    rows: [
      { label: 'registrations accepted (202)', value: c.accepted },
      { label: 'completed (saga completed, user stored)', value: c.completed },
      { label: 'in a documented terminal state', value: terminal === '' ? 0 : terminal },
      { label: 'still in flight after the quiet period', value: c.inFlight, bad: c.inFlight > 0 },
      { label: 'awaiting a code their client gave up on (expire later)', value: c.abandoned },
      { label: 'lost', value: c.lost, bad: c.lost > 0 },
      { label: 'duplicated', value: c.duplicated, bad: c.duplicated > 0 },
      { label: 'started, 202 never seen by the client', value: c.unacknowledged },
      { label: 'clients’ own outcomes', value: clients === '' ? '—' : clients },
      { label: 'answers the clients retried or waited on (informational)', value: troubleSummary(log.records) },
    ],
    failures: c.failures,
  };
}
