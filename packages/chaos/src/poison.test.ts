// Poison accounting: each injected poison dead-lettered once with a reason; nothing else passes.
import t from 'tap';
import { decodeJson } from '@ashchat/messaging';
import { comparePoison, poisonMessage, type DeadLetterSeen, type PoisonItem } from './poison.js';

const item = (n: number, queue = 'ns.Q'): PoisonItem => ({ messageId: `p${n}`, queue, kind: 'invalid-json', injectedAt: 0, attempts: 1 });
const seen = (entries: Record<string, DeadLetterSeen[]>) => new Map(Object.entries(entries));

t.test('every poison once with a reason: no failure; other dead letters are reported, by reason', async (t) => {
  const c = comparePoison([item(1), item(2)], seen({ 'ns.Q.dead-letter': [{ messageId: 'p1', reason: 'invalid JSON' }, { messageId: 'p2', reason: 'x' }, { messageId: 'm', reason: undefined }] }), 0);
  t.equal(c.deadLetteredOnce, 2);
  t.same(c.failures, []);
  t.same(c.others, { '(no reason: dead-lettered by the broker)': 1 });
});

t.test('missing, twice, without reason, left in the work queue: each a failure', async (t) => {
  const c = comparePoison(
    [item(1), item(2), item(3)],
    seen({ 'ns.Q.dead-letter': [{ messageId: 'p2', reason: 'a' }, { messageId: 'p2', reason: 'a' }, { messageId: 'p3', reason: undefined }] }),
    1,
  );
  t.same([c.missing, c.moreThanOnce, c.withoutReason, c.deadLetteredOnce], [1, 1, 1, 0]);
  t.equal(c.failures.length, 4);
});

t.test('a poison found in another queue’s dead letters does not count', async (t) => {
  const c = comparePoison([item(1, 'ns.A')], seen({ 'ns.B.dead-letter': [{ messageId: 'p1', reason: 'a' }] }), 0);
  t.equal(c.missing, 1);
});

t.test('no poison kind decodes to a JSON value that could be a valid message', async (t) => {
  for (const kind of ['invalid-json', 'not-utf8', 'unsupported-encoding'] as const) {
    const m = poisonMessage(kind, 'id');
    t.equal(decodeJson({ body: m.body, contentType: m.contentType, ...(m.contentEncoding ? { contentEncoding: m.contentEncoding } : {}) }).ok, false, kind);
  }
});

t.test('a poison published twice (a retry after a lost confirm) may be dead-lettered twice, not three times', async (t) => {
  const twice = { ...item(1), attempts: 2 };
  const letters = (n: number) => seen({ 'ns.Q.dead-letter': Array.from({ length: n }, () => ({ messageId: 'p1', reason: 'a' })) });
  t.same(comparePoison([twice], letters(2), 0).failures, []);
  t.equal(comparePoison([twice], letters(3), 0).moreThanOnce, 1);
});
