// The registration accounting: what counts as lost, duplicated, in flight, and what is allowed.
import t from 'tap';
import type { RegistrationRecord } from './registration.load.js';
import { classifyRegistrations, type RegistrationFacts, type SagaFacts, type UserFacts } from './registration.tally.js';

const rec = (id: string | null, outcome: RegistrationRecord['outcome'] = 'completed'): RegistrationRecord => ({
  email: `a-${id ?? 'x'}@example.org`,
  registrationId: id,
  accepted: id !== null,
  startedAt: 0,
  endedAt: 1,
  outcome,
  resends: 0,
  registerAttempts: 1,
  steps: [],
});
const saga = (id: string, state = 'completed', o: Partial<SagaFacts> = {}): SagaFacts => ({
  id,
  email: `a-${id}@example.org`,
  state,
  final: state !== 'awaitingCode' && state !== 'requestingCode',
  status: state === 'requestTimedOut' ? 'failed' : state,
  reason: state === 'requestTimedOut' ? 'verifier-timeout' : null,
  resends: 0,
  expiresAt: null,
  ...o,
});
const user = (id: string, o: Partial<UserFacts> = {}): UserFacts => ({ id, registrationId: id, email: `a-${id}@example.org`, ...o });
const facts = (f: Partial<RegistrationFacts>): RegistrationFacts => ({
  records: [],
  sagas: [],
  users: [],
  mails: new Map((f.sagas ?? []).map((s) => [s.email, 1 + s.resends])),
  now: 1_000_000,
  ...f,
});

t.test('a clean run: completed and terminal states, nothing lost or duplicated', async (t) => {
  const c = classifyRegistrations(
    facts({ records: [rec('1'), rec('2', 'expired'), rec('3', 'failed'), rec(null, 'refused')], sagas: [saga('1'), saga('2', 'expired'), saga('3', 'requestTimedOut')], users: [user('1')] }),
  );
  t.same({ accepted: c.accepted, completed: c.completed, lost: c.lost, duplicated: c.duplicated, inFlight: c.inFlight }, { accepted: 3, completed: 1, lost: 0, duplicated: 0, inFlight: 0 });
  t.same(c.terminal, { expired: 1, 'failed (verifier-timeout)': 1 });
  t.same(c.failures, []);
});

t.test('lost: no saga, completed without a user, or told completed while the saga is not', async (t) => {
  const c = classifyRegistrations(facts({ records: [rec('1'), rec('2'), rec('3')], sagas: [saga('2'), saga('3', 'expired')], users: [] }));
  t.equal(c.lost, 3);
  t.equal(c.failures.length, 3);
});

t.test('a saga not final after the quiet period is in flight, a failure (also one no client saw accepted)', async (t) => {
  const c = classifyRegistrations(facts({ records: [rec('1', 'gave-up')], sagas: [saga('1', 'awaitingCode'), saga('9', 'requestingCode')] }));
  t.equal(c.inFlight, 2);
  t.equal(c.unacknowledged, 1);
  t.equal(c.failures.length, 2);
});

t.test('duplicated: two users for an address, two completed sagas for an address, a second mail for one request', async (t) => {
  const twoUsers = classifyRegistrations(facts({ records: [rec('1')], sagas: [saga('1')], users: [user('1'), user('1b', { registrationId: '1', email: 'a-1@example.org' })] }));
  t.equal(twoUsers.duplicated, 1);
  const twoSagas = classifyRegistrations(
    facts({ records: [rec('1')], sagas: [saga('1'), saga('1b', 'completed', { email: 'a-1@example.org' })], users: [user('1'), user('1b', { email: 'A-1@example.org' })] }),
  );
  t.ok(twoSagas.duplicated >= 2, 'the second completed saga and its second user');
  const mails = classifyRegistrations(facts({ records: [rec('1')], sagas: [saga('1')], users: [user('1')], mails: new Map([['a-1@example.org', 2]]) }));
  t.equal(mails.duplicated, 1);
  t.match(mails.failures[0], /2 code mails .* for 1 code request/);
});

t.test('allowed: a resend mails again, a retried POST starts a second saga that does not complete', async (t) => {
  const c = classifyRegistrations(
    facts({
      records: [rec('1')],
      sagas: [saga('1', 'completed', { resends: 1 }), saga('0', 'expired', { email: 'a-1@example.org' })],
      users: [user('1')],
      mails: new Map([['a-1@example.org', 3]]),
    }),
  );
  t.equal(c.duplicated, 0);
  t.equal(c.unacknowledged, 1);
  t.same(c.failures, []);
});

t.test('a user whose registration did not complete is a failure', async (t) => {
  const c = classifyRegistrations(facts({ records: [rec('1', 'expired')], sagas: [saga('1', 'expired')], users: [user('1')] }));
  t.match(c.failures, [/user 1 exists but its registration 1 is expired/]);
});

t.test('awaiting a code before its expiry is abandoned by the client, after it the saga is stuck', async (t) => {
  const c = classifyRegistrations(
    facts({ records: [rec('1', 'gave-up'), rec('2', 'gave-up')], sagas: [saga('1', 'awaitingCode', { expiresAt: 1_000_500 }), saga('2', 'awaitingCode', { expiresAt: 900_000 })] }),
  );
  t.same([c.abandoned, c.inFlight], [1, 1]);
  t.match(c.failures, [/registration 2 stuck in awaitingCode/]);
});

t.test('past requestingCode without any code mail: the mail was lost', async (t) => {
  const c = classifyRegistrations(facts({ records: [rec('1', 'gave-up')], sagas: [saga('1', 'awaitingCode', { expiresAt: 1_000_500 })], mails: new Map() }));
  t.equal(c.lost, 1);
  t.match(c.failures, [/no code mail reached/]);
});
