/**
 * Poison messages: malformed messages published straight into this run's request and reply queues
 * over a connection of our own, then looked for in the dead-letter queues. Every poison must be
 * dead-lettered exactly once, with a reason header, and none may stay in (or loop through) its
 * work queue — while the load goes on being served.
 *
 * Each poison carries a messageId `chaos-poison-<n>-<kind>` so the tally tells it from the dead
 * letters the run produced by itself (reported separately, with their reasons: a legitimate
 * message in a dead-letter queue is work the system did not do).
 */
import {
  ACCOUNT_CREATION_QUEUE,
  CONFIRM_EMAIL_CODE_QUEUE,
  DEAD_LETTER_REASON_HEADER,
  REGISTRATION_REPLY_QUEUE,
  TRANSLATION_QUEUE,
  TRANSLATION_REPLY_QUEUE,
  deadLetterQueueName,
  namespacedQueue,
} from '@ashchat/contracts';
import { createAmqpConnection, createSilentLogger } from '@ashchat/messaging';
import { pick } from './chaos.random.js';
import type { ChaosTarget, Tally } from './chaos.types.js';

/** Contract queues a poison goes to: the verifier's and translator's requests, the backend's replies. */
export const POISON_QUEUES = [ACCOUNT_CREATION_QUEUE, CONFIRM_EMAIL_CODE_QUEUE, TRANSLATION_QUEUE, REGISTRATION_REPLY_QUEUE, TRANSLATION_REPLY_QUEUE] as const;

export type PoisonKind = 'invalid-json' | 'not-utf8' | 'breaks-contract' | 'wrong-field-types' | 'unsupported-encoding';
const KINDS: readonly PoisonKind[] = ['invalid-json', 'not-utf8', 'breaks-contract', 'wrong-field-types', 'unsupported-encoding'];

export interface PoisonItem {
  messageId: string;
  queue: string;
  kind: PoisonKind;
  injectedAt: number;
  /** Publishes sent: a publish retried after a lost confirm may have stored it twice (our copy, not the system's). */
  attempts: number;
}

export interface PoisonLog {
  items: PoisonItem[];
  /** Queues that did not exist at injection (nobody declared them in this run): nothing sent there. */
  skipped: string[];
}

/** The bytes and properties of one poison of `kind`; none of them can pass any consumer's checks. */
export function poisonMessage(kind: PoisonKind, messageId: string): { body: Buffer; contentType: string; contentEncoding?: string } {
  switch (kind) {
    case 'invalid-json':
      return { body: Buffer.from('{"registrationId": "', 'utf8'), contentType: 'application/json' };
    case 'not-utf8':
      return { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), contentType: 'application/octet-stream' };
    case 'breaks-contract':
      return { body: Buffer.from(JSON.stringify({ chaos: 'poison', messageId }), 'utf8'), contentType: 'application/json' };
    case 'wrong-field-types':
      return { body: Buffer.from(JSON.stringify({ registrationId: 42, requestId: ['x'], messageId: false }), 'utf8'), contentType: 'application/json' };
    case 'unsupported-encoding':
      return { body: Buffer.from('{}', 'utf8'), contentType: 'application/json', contentEncoding: 'x-chaos' };
  }
}

const connectionFor = (target: ChaosTarget, role: string) =>
  createAmqpConnection({ uri: target.amqpUri, name: `chaos-${role}.${target.queueNamespace}`, logger: createSilentLogger() });

type Conn = ReturnType<typeof connectionFor>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function messageCount(conn: Conn, queue: string): Promise<number | undefined> {
  // A passive declare of a missing queue closes its channel: use a throw-away one.
  const ch = await conn.acquire();
  try {
    return (await ch.queueDeclare({ queue, passive: true })).messageCount;
  } catch {
    return undefined;
  } finally {
    await ch.close().catch(() => undefined);
  }
}

/** Publishes `count` poisons, spread by the target's PRNG over the queues and kinds, confirmed by the broker. */
export async function injectPoison(target: ChaosTarget, count: number): Promise<PoisonLog> {
  const conn = connectionFor(target, 'poison');
  const log: PoisonLog = { items: [], skipped: [] };
  try {
    const queues: string[] = [];
    for (const q of POISON_QUEUES.map((name) => namespacedQueue(target.queueNamespace, name))) {
      if ((await messageCount(conn, q)) === undefined) log.skipped.push(q);
      else queues.push(q);
    }
    if (queues.length === 0) return log;
    // Our own retries (not rabbitmq-client's), so each possible extra copy is counted.
    const publisher = conn.createPublisher({ confirm: true, maxAttempts: 1 });
    try {
      for (let n = 0; n < count; n += 1) {
        // Round robin over queues (each gets some), the kind from the PRNG.
        const queue = queues[n % queues.length]!;
        const kind = pick(target.rng, KINDS);
        const messageId = `chaos-poison-${n}-${kind}`;
        const m = poisonMessage(kind, messageId);
        const envelope = { routingKey: queue, messageId, correlationId: messageId, contentType: m.contentType, durable: true, ...(m.contentEncoding ? { contentEncoding: m.contentEncoding } : {}) };
        for (let attempts = 1; ; attempts += 1) {
          try {
            await publisher.send(envelope, m.body);
            log.items.push({ messageId, queue, kind, injectedAt: Date.now(), attempts });
            break;
          } catch (err) {
            if (attempts >= 5) throw err;
            await sleep(200 * attempts);
          }
        }
      }
    } finally {
      await publisher.close();
    }
    target.log(`poison: ${log.items.length} injected into ${queues.length} queues${log.skipped.length ? `, skipped (absent): ${log.skipped.join(', ')}` : ''}`);
    return log;
  } finally {
    await conn.close();
  }
}

export interface DeadLetterSeen {
  messageId: string | undefined;
  reason: string | undefined;
}

export interface PoisonCounts {
  injected: number;
  /** Once — or as often as it was published, when a publish had to be retried. */
  deadLetteredOnce: number;
  withoutReason: number;
  moreThanOnce: number;
  missing: number;
  /** Dead letters that are not our poison, by reason. */
  others: Record<string, number>;
  failures: string[];
}

/** Pure comparison of what was injected with what the dead-letter queues hold (unit-tested). */
export function comparePoison(items: readonly PoisonItem[], seen: ReadonlyMap<string, readonly DeadLetterSeen[]>, leftInWorkQueues: number): PoisonCounts {
  const c: PoisonCounts = { injected: items.length, deadLetteredOnce: 0, withoutReason: 0, moreThanOnce: 0, missing: 0, others: {}, failures: [] };
  const ours = new Set(items.map((i) => i.messageId));
  for (const item of items) {
    const copies = (seen.get(deadLetterQueueName(item.queue)) ?? []).filter((d) => d.messageId === item.messageId);
    if (copies.length === 0) {
      c.missing += 1;
      c.failures.push(`poison ${item.messageId} (${item.queue}) not in its dead-letter queue`);
    } else if (copies.length > item.attempts) {
      c.moreThanOnce += 1;
      c.failures.push(`poison ${item.messageId} dead-lettered ${copies.length} times, published ${item.attempts}`);
    } else if (copies.some((d) => !d.reason)) {
      c.withoutReason += 1;
      c.failures.push(`poison ${item.messageId} dead-lettered without a reason (the broker's delivery limit, not our consumer)`);
    } else c.deadLetteredOnce += 1;
  }
  for (const letters of seen.values()) {
    for (const d of letters) {
      if (d.messageId !== undefined && ours.has(d.messageId)) continue;
      const reason = d.reason ?? '(no reason: dead-lettered by the broker)';
      c.others[reason] = (c.others[reason] ?? 0) + 1;
    }
  }
  if (leftInWorkQueues > 0) c.failures.push(`${leftInWorkQueues} message(s) still waiting in the poisoned work queues after the quiet period`);
  return c;
}

/** Reads every message of `queue` without removing it: unacked gets, returned to the queue when the channel closes. */
async function peekAll(conn: Conn, queue: string): Promise<DeadLetterSeen[]> {
  if ((await messageCount(conn, queue)) === undefined) return [];
  const ch = await conn.acquire();
  const seen: DeadLetterSeen[] = [];
  try {
    for (;;) {
      const msg = await ch.basicGet({ queue, noAck: false });
      if (!msg) break;
      const reason = msg.headers?.[DEAD_LETTER_REASON_HEADER];
      seen.push({ messageId: msg.messageId, reason: typeof reason === 'string' ? reason : undefined });
    }
  } finally {
    await ch.close().catch(() => undefined);
  }
  return seen;
}

/** After the quiet period: waits (bounded) until every poison shows up, then compares. */
export async function tallyPoison(target: ChaosTarget, log: PoisonLog, waitMs = 15_000): Promise<Tally> {
  const conn = connectionFor(target, 'poison-tally');
  try {
    const queues = [...new Set(log.items.map((i) => i.queue))];
    const giveUp = Date.now() + waitMs;
    let counts: PoisonCounts;
    for (;;) {
      const seen = new Map<string, DeadLetterSeen[]>();
      for (const q of queues) seen.set(deadLetterQueueName(q), await peekAll(conn, deadLetterQueueName(q)));
      let left = 0;
      for (const q of queues) left += (await messageCount(conn, q)) ?? 0;
      counts = comparePoison(log.items, seen, left);
      if (counts.failures.length === 0 || Date.now() > giveUp) break;
      await sleep(500);
    }
    const others = Object.entries(counts.others).map(([reason, n]) => `${n} × ${reason}`).join('; ');
    return {
      section: 'Poison messages',
      rows: [
        { label: 'poison messages injected', value: counts.injected },
        { label: 'dead-lettered once, with a reason', value: counts.deadLetteredOnce },
        { label: 'lost (not in the dead-letter queue)', value: counts.missing, bad: counts.missing > 0 },
        { label: 'dead-lettered more often than published', value: counts.moreThanOnce, bad: counts.moreThanOnce > 0 },
        { label: 'dead-lettered without a reason', value: counts.withoutReason, bad: counts.withoutReason > 0 },
        { label: 'queues skipped (absent)', value: log.skipped.length === 0 ? 0 : log.skipped.join(', ') },
        { label: 'other dead letters of the run (not injected)', value: others === '' ? 0 : others },
      ],
      failures: [...counts.failures, ...(log.items.length === 0 ? ['no poison could be injected (no queue of this run existed)'] : [])],
    };
  } finally {
    await conn.close();
  }
}
