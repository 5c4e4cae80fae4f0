import t from 'tap';
import { holesBelow, resumeSeq, type ChatLog, type DeviceLog, type ReceivedRecord, type SentRecord } from './chat.log.js';
import { countChat, type StoredMessage } from './chat.tally.js';

// The tally on synthetic logs: a clean run passes, and each kind of fault is reported as such.

const C = 'c'.repeat(24);
const A = 'user-a';
const B = 'user-b';
const id = (n: number) => n.toString(16).padStart(24, '0');

function device(name: string, userId: string, sent: SentRecord[], received: ReceivedRecord[], over: Partial<DeviceLog> = {}): DeviceLog {
  return { device: name, userId, conversations: [C], sent, received, paged: [], resumes: [], connections: 1, cutConnections: 0, intentionalDisconnects: 0, synced: true, errors: [], ...over };
}
const sent = (n: number, seq = n, attempts = 1): SentRecord => ({ conversationId: C, clientMessageId: `a.${n}`, via: 'ws', attempts, messageId: id(n), seq });
const got = (n: number, seq = n, connection = 1, replay = false): ReceivedRecord => ({ conversationId: C, messageId: id(n), seq, connection, replay });
const stored = (n: number, seq = n): StoredMessage => ({ id: id(n), conversationId: C, senderId: A, clientMessageId: `a.${n}`, seq });

function chatLog(devices: DeviceLog[]): ChatLog {
  return { conversations: [{ id: C, type: 'direct', members: [A, B] }], devices, errors: [], startedAt: 0, stoppedAt: 1 };
}
const row = (tally: ReturnType<typeof countChat>, label: string) => tally.rows.find((r) => r.label === label)?.value;
const clean = () => [device('0.0', A, [sent(1), sent(2)], [got(1), got(2)]), device('1.0', B, [], [got(1), got(2)])];

t.test('a clean run: everything acked, stored, delivered once and in order', async (t) => {
  const tally = countChat(chatLog(clean()), [stored(1), stored(2)]);
  t.same(tally.failures, []);
  t.equal(row(tally, 'messages acknowledged'), 2);
  t.equal(row(tally, 'messages stored'), 2);
  t.equal(row(tally, 'messages delivered to every member device that stayed or resumed'), 2);
  t.equal(row(tally, 'messages lost'), 0);
});

t.test('an acked message that is not stored is lost', async (t) => {
  const tally = countChat(chatLog(clean()), [stored(1)]);
  t.equal(row(tally, '… acknowledged but not stored'), 1);
  t.match(tally.failures, [/1 acknowledged messages not stored/]);
});

t.test('a stored message missing at a member device that stayed is lost; at a device that did not resume it is not counted, but the device is', async (t) => {
  const missing = [device('0.0', A, [sent(1), sent(2)], [got(1), got(2)]), device('1.0', B, [], [got(1)])];
  const tally = countChat(chatLog(missing), [stored(1), stored(2)]);
  t.equal(row(tally, '… stored but missing at a member device'), 1);
  t.equal(row(tally, 'messages delivered to every member device that stayed or resumed'), 1);
  const gone = [device('0.0', A, [sent(1), sent(2)], [got(1), got(2)]), device('1.0', B, [], [got(1)], { synced: false })];
  const other = countChat(chatLog(gone), [stored(1), stored(2)]);
  t.equal(row(other, '… stored but missing at a member device'), 0);
  t.equal(row(other, 'devices that did not resume by the end'), 1);
  t.ok(other.failures.some((f) => f.includes('not resumed')));
});

t.test('a stored message its sender gave up on before an ack, missing at a device, is counted apart, not lost', async (t) => {
  const gaveUp: SentRecord = { conversationId: C, clientMessageId: 'a.2', via: 'ws', attempts: 1, gaveUp: true };
  const tally = countChat(chatLog([device('0.0', A, [sent(1), gaveUp], [got(1)]), device('1.0', B, [], [got(1)])]), [stored(1), stored(2)]);
  t.same(tally.failures, []);
  t.equal(row(tally, '… of them stored, missing at some device (informational: never acked, so never retried)'), 1);
  t.equal(row(tally, 'messages delivered to every member device that stayed or resumed'), 1);
});

t.test('a message paged over REST after an incomplete resume counts as delivered', async (t) => {
  const paged = [device('0.0', A, [sent(1), sent(2)], [got(1), got(2)]), device('1.0', B, [], [got(1)], { paged: [{ conversationId: C, messageId: id(2), seq: 2 }] })];
  t.same(countChat(chatLog(paged), [stored(1), stored(2)]).failures, []);
});

t.test('a client id stored twice is duplicated; a message sent once and delivered twice on one connection fails too', async (t) => {
  const twice = countChat(chatLog(clean()), [stored(1), stored(2), { ...stored(3, 3), clientMessageId: 'a.2' }]);
  t.equal(row(twice, 'messages duplicated'), 1);
  t.ok(twice.failures.includes('chat: 1 messages stored twice'), 'reported as a failure');
  const repeated = [device('0.0', A, [sent(1), sent(2)], [got(1), got(2)]), device('1.0', B, [], [got(1), got(2, 2, 1, true), got(2)])];
  const tally = countChat(chatLog(repeated), [stored(1), stored(2)]);
  t.equal(row(tally, 'messages duplicated'), 0);
  t.equal(row(tally, 'delivered twice on one connection, sent once'), 1);
  t.same(tally.failures, ['chat: 1 messages delivered twice on one connection, sent once']);
});

t.test('a repeat after a retry, or on a new connection (replay from a lower cursor), is informational', async (t) => {
  const retried = [device('0.0', A, [sent(1), sent(2, 2, 2)], [got(1), got(2)]), device('1.0', B, [], [got(1), got(2), got(2), got(1, 1, 2, true)])];
  const tally = countChat(chatLog(retried), [stored(1), stored(2)]);
  t.same(tally.failures, []);
  t.equal(row(tally, 'redelivered, dropped by id (informational)'), 2);
});

t.test('out of order: a replay going backwards, two messages at one seq, own sends against commit order', async (t) => {
  const replay = [device('0.0', A, [sent(1), sent(2)], [got(1), got(2)]), device('1.0', B, [], [got(2, 2, 1, true), got(1, 1, 1, true)])];
  t.equal(row(countChat(chatLog(replay), [stored(1), stored(2)]), 'messages out of order'), 1);
  t.equal(row(countChat(chatLog(clean()), [stored(1), stored(2, 1)]), 'messages out of order'), 1);
  const own = [device('0.0', A, [sent(1, 2), sent(2, 1)], [got(1, 2), got(2, 1)]), device('1.0', B, [], [got(1, 2), got(2, 1)])];
  const tally = countChat(chatLog(own), [stored(1, 2), stored(2, 1)]);
  t.equal(row(tally, 'messages out of order'), 1, 'own sends only: live events going backwards are informational');
  t.equal(row(tally, 'live events with seq going backwards (informational, two instances)'), 2);
});

t.test('resume cursors: the unbroken run of held positions, holes known from a complete replay', async (t) => {
  t.equal(resumeSeq(new Set([1, 2, 4]), new Set()), 2);
  const holes = new Set<number>();
  holesBelow(new Set([1, 2, 4]), 4, holes);
  t.same([...holes], [3]);
  t.equal(resumeSeq(new Set([1, 2, 4]), holes), 4);
  t.equal(resumeSeq(new Set(), new Set()), 0);
});
