import { MongoClient, ObjectId } from 'mongodb';
import type { ChaosTarget, Tally, TallyRow } from './chaos.types.js';
import type { ChatLog } from './chat.log.js';

/*
 * How the chat load is counted, from the `messages` collection (after the quiet period) and the
 * devices' own logs. Only the load's own conversations are read.
 *
 * - acknowledged: client message ids a device got an ack for (WS `ack` or REST 200/201).
 * - stored: documents in `messages` of the load's conversations.
 * - delivered: stored messages that every member device which stayed connected or resumed
 *   ("synced": connected and resumed when the quiet period ended) received as `message.new`
 *   (live or in a resume replay) or, when a resume said `incomplete`, read from REST history.
 * - lost (bad): an acknowledged message with no stored document (by server id, or by
 *   conversation + sender + client id), plus each stored and acknowledged message missing at a synced
 *   member device. A stored message its sender never got an ack for (it gave up when the quiet period
 *   ended) may be unannounced — announcing it is the sender's retry's job — and is counted apart.
 *   "Missing" is judged when the quiet period ends; a connection that stayed open gets no second chance.
 * - duplicated (bad): one (conversation, sender, client id) stored more than once — what a member would
 *   see twice. Also bad: "delivered twice on one connection" — a message sent once that one connection
 *   got twice as `message.new` (the resume's promise, "every message once" per connection, broken).
 *   Other repeats are informational, "redelivered": a replay from a cursor below a message already
 *   held, or a retried send, which is announced again by design; clients drop them by id.
 * - out of order (bad): within one resume replay a conversation's `seq` not strictly increasing; two
 *   stored messages of a conversation with the same `seq`; a device's own acknowledged messages (one
 *   send in flight at a time) not in strictly increasing `seq` per conversation, i.e. stored positions
 *   not following commit order. Informational: live events whose `seq` goes backwards (two backend
 *   instances publish independently; documented in packages/web/src/chat/resume.cursor.ts).
 * - devices not synced (bad): a device that could not reconnect and resume before the quiet period ended.
 */

export interface StoredMessage {
  id: string;
  conversationId: string;
  senderId: string;
  clientMessageId: string;
  seq: number;
}

/** The counts, from the logs and what is stored: pure, so the tests can feed it synthetic logs. */
export function countChat(log: ChatLog, stored: readonly StoredMessage[]): Tally {
  const key = (conversationId: string, senderId: string, clientMessageId: string) => `${conversationId}|${senderId}|${clientMessageId}`;
  const storedById = new Map(stored.map((m) => [m.id, m]));
  const storedByKey = new Map<string, StoredMessage[]>();
  for (const m of stored) storedByKey.set(key(m.conversationId, m.senderId, m.clientMessageId), [...(storedByKey.get(key(m.conversationId, m.senderId, m.clientMessageId)) ?? []), m]);
  const attempts = new Map<string, number>(); // stored id → sends of its client id
  const ackedIds = new Set<string>(); // stored ids whose sender got an ack
  const examples: string[] = [];
  const example = (line: string) => examples.length < 10 && examples.push(line);

  let acked = 0;
  let lostAcked = 0;
  let ownOrder = 0;
  let gaveUp = 0;
  for (const d of log.devices) {
    const lastSeq = new Map<string, number>();
    for (const s of d.sent) {
      const found = storedByKey.get(key(s.conversationId, d.userId, s.clientMessageId));
      if (found?.[0]) attempts.set(found[0].id, Math.max(attempts.get(found[0].id) ?? 0, s.attempts));
      if (s.gaveUp && !s.messageId) gaveUp += 1;
      if (!s.messageId) continue;
      acked += 1;
      if (found?.[0]) ackedIds.add(found[0].id);
      if (!storedById.has(s.messageId) && !found) {
        lostAcked += 1;
        example(`acked, not stored: ${d.device} ${s.clientMessageId} → ${s.messageId}`);
      }
      const before = lastSeq.get(s.conversationId) ?? 0;
      if (s.seq !== undefined && s.seq <= before) {
        ownOrder += 1;
        example(`own sends out of order: ${d.device} ${s.clientMessageId} seq ${s.seq} after ${before}`);
      }
      lastSeq.set(s.conversationId, Math.max(before, s.seq ?? 0));
    }
  }

  const duplicateStored = [...storedByKey.values()].reduce((n, list) => n + list.length - 1, 0);
  if (duplicateStored > 0) example(`client id stored twice: ${[...storedByKey.entries()].find(([, l]) => l.length > 1)![0]}`);
  let sameSeq = 0;
  const seqs = new Map<string, Set<number>>();
  for (const m of stored) {
    const set = seqs.get(m.conversationId) ?? new Set<number>();
    seqs.set(m.conversationId, set);
    if (m.seq > 0 && set.has(m.seq)) {
      sameSeq += 1;
      example(`two stored messages at seq ${m.seq} in ${m.conversationId}`);
    }
    set.add(m.seq);
  }

  // Delivery, per device.
  const membersOf = new Map(log.conversations.map((c) => [c.id, c.members]));
  const missingAt = new Map<string, number>(); // stored id → synced member devices without it
  const unannounced = new Set<string>();
  let badRepeats = 0;
  let redelivered = 0;
  let replayOrder = 0;
  let liveBackwards = 0;
  for (const d of log.devices) {
    const seen = new Map<string, number>(); // message id → connection it first came on
    const replayTop = new Map<string, number>(); // `${connection}|${conversation}` → last replayed seq
    const liveTop = new Map<string, number>();
    for (const r of d.received) {
      const first = seen.get(r.messageId);
      if (first === undefined) seen.set(r.messageId, r.connection);
      else if (first === r.connection && (attempts.get(r.messageId) ?? 1) <= 1) badRepeats += 1;
      else redelivered += 1;
      const k = `${r.connection}|${r.conversationId}`;
      const tops = r.replay ? replayTop : liveTop;
      const top = tops.get(k) ?? 0;
      if (r.seq <= top) {
        if (r.replay) {
          replayOrder += 1;
          example(`replay out of order: ${d.device} connection ${r.connection} seq ${r.seq} after ${top}`);
        } else liveBackwards += 1;
      }
      tops.set(k, Math.max(top, r.seq));
    }
    if (!d.synced) continue;
    const has = new Set([...seen.keys(), ...d.paged.map((p) => p.messageId)]);
    for (const m of stored) {
      if (!d.conversations.includes(m.conversationId) || !membersOf.get(m.conversationId)?.includes(d.userId)) continue;
      if (has.has(m.id)) continue;
      // Stored, but its sender stopped before any ack: only the sender's retry announces it (by design).
      if (!ackedIds.has(m.id)) {
        unannounced.add(m.id);
        continue;
      }
      missingAt.set(m.id, (missingAt.get(m.id) ?? 0) + 1);
      if (missingAt.get(m.id) === 1) example(`stored, not at ${d.device}: ${m.id} seq ${m.seq} in ${m.conversationId}`);
    }
  }
  const notSynced = log.devices.filter((d) => !d.synced).map((d) => d.device);
  const deliveredToAll = stored.filter((m) => !missingAt.has(m.id) && !unannounced.has(m.id)).length;
  const lost = lostAcked + missingAt.size;
  const duplicated = duplicateStored;
  const outOfOrder = replayOrder + sameSeq + ownOrder;
  const sum = (f: (d: ChatLog['devices'][number]) => number) => log.devices.reduce((n, d) => n + f(d), 0);

  const rows: TallyRow[] = [
    { label: 'messages acknowledged', value: acked },
    { label: 'messages stored', value: stored.length },
    { label: 'messages delivered to every member device that stayed or resumed', value: deliveredToAll },
    { label: 'messages lost', value: lost, bad: lost > 0 },
    { label: '… acknowledged but not stored', value: lostAcked, bad: lostAcked > 0 },
    { label: '… stored but missing at a member device', value: missingAt.size, bad: missingAt.size > 0 },
    { label: 'messages duplicated', value: duplicated, bad: duplicated > 0 },
    { label: 'messages out of order', value: outOfOrder, bad: outOfOrder > 0 },
    { label: 'devices that did not resume by the end', value: notSynced.length, bad: notSynced.length > 0 },
    { label: 'delivered twice on one connection, sent once', value: badRepeats, bad: badRepeats > 0 },
    { label: 'redelivered, dropped by id (informational)', value: redelivered },
    { label: 'live events with seq going backwards (informational, two instances)', value: liveBackwards },
    { label: 'sends given up unacknowledged (informational)', value: gaveUp },
    { label: '… of them stored, missing at some device (informational: never acked, so never retried)', value: unannounced.size },
    { label: 'devices / connections / cut by faults / disconnected on purpose', value: `${log.devices.length} / ${sum((d) => d.connections)} / ${sum((d) => d.cutConnections)} / ${sum((d) => d.intentionalDisconnects)}` },
    { label: 'device errors (informational: refused sends, failed history reads)', value: sum((d) => d.errors.length) },
    { label: 'resumes (failed)', value: `${sum((d) => d.resumes.length)} (${sum((d) => d.resumes.filter((r) => r.failed).length)})` },
  ];
  const failures: string[] = [];
  if (lostAcked > 0) failures.push(`chat: ${lostAcked} acknowledged messages not stored`);
  if (missingAt.size > 0) failures.push(`chat: ${missingAt.size} stored messages missing at a member device`);
  if (duplicated > 0) failures.push(`chat: ${duplicated} messages stored twice`);
  if (badRepeats > 0) failures.push(`chat: ${badRepeats} messages delivered twice on one connection, sent once`);
  if (outOfOrder > 0) failures.push(`chat: ${outOfOrder} out of order (${replayOrder} in replays, ${sameSeq} same seq, ${ownOrder} own sends)`);
  if (notSynced.length > 0) failures.push(`chat: devices not resumed by the end: ${notSynced.slice(0, 5).join(', ')}`);
  if (log.errors.length > 0) failures.push(`chat: load errors: ${log.errors.slice(0, 3).join('; ')}`);
  for (const line of examples) rows.push({ label: `example: ${line}`, value: '' });
  return { section: 'Messages', rows, failures };
}

/** Reads the load's conversations' messages from the database, then counts. */
export async function tallyChat(target: ChaosTarget, log: ChatLog): Promise<Tally> {
  const client = new MongoClient(target.mongodbUri, { serverSelectionTimeoutMS: 15_000 });
  try {
    await client.connect();
    const ids = log.conversations.map((c) => new ObjectId(c.id));
    const docs = await client
      .db(target.mongodbDb)
      .collection('messages')
      .find({ conversationId: { $in: ids } }, { projection: { _id: 1, conversationId: 1, senderId: 1, clientMessageId: 1, seq: 1 } })
      .toArray();
    const stored: StoredMessage[] = docs.map((m) => ({
      id: String(m._id),
      conversationId: String(m.conversationId),
      senderId: String(m.senderId),
      clientMessageId: String(m.clientMessageId),
      seq: Number(m.seq ?? 0),
    }));
    return countChat(log, stored);
  } finally {
    await client.close();
  }
}
