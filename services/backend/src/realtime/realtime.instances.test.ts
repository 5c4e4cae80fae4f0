import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { MongoClient } from 'mongodb';
import { WebSocket } from 'ws';
import { startEntry, waitFor, within, type RunningEntry } from '@ashchat/testkit';
import { testEnv } from '../app.test-support.js';
import { hashClientDeviceId } from '../devices/device-id.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { normalizeNickname } from '../users/nickname.js';

/*
 * Two real backend processes (server.ts) on one database and one Redis; clients over real
 * WebSockets. What crosses between them crosses through Redis only. Presence TTL is short so a
 * killed instance's users lapse quickly; the waits below are bounded, never asserted as timings.
 */

const entry = fileURLToPath(new URL('../server.ts', import.meta.url));
const env = await testEnv({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  QUEUE_NAMESPACE: `rt-${randomUUID().slice(0, 8)}`,
  PRESENCE_TTL_MS: '900',
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
});
const mongo = await MongoClient.connect(env.MONGODB_URI!);
t.teardown(async () => {
  await mongo.db(env.MONGODB_DB).dropDatabase().catch(() => undefined);
  await mongo.close();
});

async function startInstance(): Promise<{ run: RunningEntry; http: string; ws: string }> {
  const run = startEntry(entry, env);
  t.teardown(() => run.child.kill('SIGKILL'));
  const [, http] = await run.waitForOutput(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  await waitFor(async () => (await fetch(`${http}/ready`)).status === 200, { timeoutMs: 60_000, message: 'the instance to be ready' });
  return { run, http: http!, ws: `${http!.replace('http', 'ws')}/v1/ws` };
}

/** Users straight into the database (cheap hashes), signed in over REST: id and access token. */
async function users(http: string, n: number): Promise<{ id: string; token: string }[]> {
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }).hash(password);
  const docs = Array.from({ length: n }, () => {
    const suffix = randomUUID().slice(0, 8);
    const email = `rt-${suffix}@example.org`;
    return { _id: randomUUID(), email, emailNormalized: email, nickname: `rt ${suffix}`, nicknameNormalized: normalizeNickname(`rt ${suffix}`), preferredLanguage: 'en', passwordHash, registrationId: randomUUID(), createdAt: new Date() };
  });
  await mongo.db(env.MONGODB_DB).collection('users').insertMany(docs as never[]);
  // Each signs in from a device the account trusts (stored as the devices collection keeps it).
  const deviceId = randomBytes(16).toString('base64url');
  const devices = docs.map((d) => ({ _id: randomUUID(), userId: d._id, deviceIdHash: hashClientDeviceId(deviceId), name: null, trustedAt: new Date(), lastSeenAt: new Date() }));
  await mongo.db(env.MONGODB_DB).collection('devices').insertMany(devices as never[]);
  return Promise.all(
    docs.map(async (d) => {
      const res = await fetch(`${http}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: d.email, password, deviceId }) });
      if (res.status !== 201) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
      return { id: d._id, token: ((await res.json()) as { accessToken: string }).accessToken };
    }),
  );
}

type Frame = Record<string, unknown> & { type: string };

/** A client that keeps every frame it got; `next` waits (bounded) for the first one not yet taken that matches. */
class Client {
  readonly frames: Frame[] = [];
  private readonly taken = new Set<number>();
  private readonly waiters = new Set<() => void>();
  closed: number | undefined;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const waiter of [...this.waiters]) waiter();
    });
    socket.on('close', (code) => {
      this.closed = code;
      for (const waiter of [...this.waiters]) waiter();
    });
  }
  static async open(url: string, token: string, resume = false): Promise<Client> {
    const socket = new WebSocket(url, ['ashchat.v1', `ashchat.bearer.${token}`, ...(resume ? ['ashchat.resume'] : [])]);
    const client = new Client(socket);
    t.teardown(() => socket.terminate());
    await client.next((f) => f.type === 'auth.ok', 'auth.ok');
    return client;
  }
  send(frame: Frame): void {
    this.socket.send(JSON.stringify(frame));
  }
  ofType(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }
  async next(match: (f: Frame) => boolean, what: string, timeoutMs = 15_000): Promise<Frame> {
    const find = (): Frame | undefined => {
      const i = this.frames.findIndex((f, i) => !this.taken.has(i) && match(f));
      if (i < 0) return undefined;
      this.taken.add(i);
      return this.frames[i];
    };
    const found = find();
    if (found) return found;
    let waiter: (() => void) | undefined;
    try {
      return await within(
        new Promise<Frame>((resolve, reject) => {
          const self: () => void = () => {
            // Off the list before taking a frame: a later frame of the same burst is for the next waiter.
            const f = find();
            if (f) {
              this.waiters.delete(self);
              resolve(f);
            } else if (this.closed !== undefined) {
              this.waiters.delete(self);
              reject(new Error(`closed (${this.closed}) while waiting for ${what}`));
            }
          };
          waiter = self;
          this.waiters.add(waiter);
        }),
        timeoutMs,
        what,
      );
    } finally {
      if (waiter) this.waiters.delete(waiter);
    }
  }
  /** Sends a frame with a request id and waits for its ack (an error frame fails). */
  async request(frame: Frame): Promise<Frame> {
    const requestId = `r-${randomUUID().slice(0, 8)}`;
    this.send({ ...frame, requestId });
    const answer = await this.next((f) => f.requestId === requestId && (f.type === 'ack' || f.type === 'error'), `answer to ${frame.type}`);
    if (answer.type === 'error') throw new Error(`${frame.type} refused: ${JSON.stringify(answer)}`);
    return answer;
  }
}

const messageNew = (conversationId: string) => (f: Frame) => f.type === 'message.new' && f.conversationId === conversationId;
const bodyOf = (f: Frame) => (f.message as { body: string }).body;
const idOf = (f: Frame) => (f.message as { id: string }).id;
const presence = (userId: string, status: string) => (f: Frame) => f.type === 'presence' && f.userId === userId && f.status === status;

t.test('two instances: messages, typing and presence cross; a killed instance lapses and its clients resume on the other', async (t) => {
  const [a, b] = await Promise.all([startInstance(), startInstance()]);
  const [alice, bob, carol] = await users(a.http, 3);
  const created = await fetch(`${a.http}/v1/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice!.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'group', name: 'two instances', members: [bob!.id, carol!.id] }),
  });
  t.equal(created.status, 201);
  const room = ((await created.json()) as { id: string }).id;

  const aliceOnA = await Client.open(a.ws, alice!.token);
  const bobOnB = await Client.open(b.ws, bob!.token);

  // Messages: sent on A, received on B in the order sent.
  const bodies = Array.from({ length: 20 }, (_, i) => `from A #${i}`);
  const acks = bodies.map((body, i) => aliceOnA.request({ type: 'message.send', conversationId: room, body, clientMessageId: `a-${i}` }));
  await Promise.all(acks);
  const received: Frame[] = [];
  for (let i = 0; i < bodies.length; i += 1) received.push(await bobOnB.next(messageNew(room), `message ${i} on B`));
  t.same(received.map(bodyOf), bodies, 'B receives every message of A, in order');
  t.same(received.map(idOf), [...received.map(idOf)].sort(), 'in id order too');

  // Typing crosses from A to B.
  await aliceOnA.request({ type: 'typing.start', conversationId: room });
  const typing = await bobOnB.next((f) => f.type === 'typing', 'typing on B');
  t.match(typing, { conversationId: room, userId: alice!.id, state: 'start' });

  // Presence: B's client follows Alice (online on A) and Carol (not connected yet).
  const snapshot = await bobOnB.request({ type: 'presence.subscribe', userIds: [alice!.id, carol!.id] });
  const presences = (snapshot.result as { presences: Frame[] }).presences;
  t.match(presences.find((p) => p.userId === alice!.id), { status: 'online' });
  t.match(presences.find((p) => p.userId === carol!.id), { status: 'offline', lastSeen: null });
  const carolOnA = await Client.open(a.ws, carol!.token);
  await bobOnB.next(presence(carol!.id, 'online'), 'Carol online, seen from B');
  t.ok(carolOnA, 'Carol connected on A');

  // The newest message Alice has: her own messages reach her devices too.
  await waitFor(() => aliceOnA.ofType('message.new').length >= bodies.length, { message: 'Alice to receive her own messages' });
  const aliceLast = idOf(aliceOnA.ofType('message.new').at(-1)!);

  // A dies without a word: its users lapse (presence TTL) and B's client hears it.
  a.run.child.kill('SIGKILL');
  await within(a.run.exited, 15_000, 'A to exit');
  await bobOnB.next(presence(alice!.id, 'offline'), "Alice offline after A's death");
  await bobOnB.next(presence(carol!.id, 'offline'), "Carol offline after A's death");

  // Meanwhile Bob writes; Alice is away.
  const missed = Array.from({ length: 5 }, (_, i) => `while away #${i}`);
  for (const [i, body] of missed.entries()) await bobOnB.request({ type: 'message.send', conversationId: room, body, clientMessageId: `b-${i}` });

  // Alice reconnects to B, saying a resume follows. A message sent right after her authentication
  // (held by the gateway until her resume) must come once, after the missed ones.
  const aliceOnB = await Client.open(b.ws, alice!.token, true);
  await bobOnB.next(presence(alice!.id, 'online'), 'Alice online again, on B');
  await bobOnB.request({ type: 'message.send', conversationId: room, body: 'during resume', clientMessageId: 'b-live-1' });
  const resumed = await aliceOnB.request({ type: 'resume', cursors: [{ conversationId: room, lastMessageId: aliceLast }] });
  await bobOnB.request({ type: 'message.send', conversationId: room, body: 'after resume', clientMessageId: 'b-live-2' });
  await aliceOnB.next((f) => f.type === 'message.new' && bodyOf(f) === 'after resume', 'the live message after the resume');

  const got = aliceOnB.ofType('message.new').filter((f) => f.conversationId === room);
  t.same(got.map(bodyOf), [...missed, 'during resume', 'after resume'], 'no gap, no duplicate, in order');
  t.same(got.map(idOf), [...new Set(got.map(idOf))].sort(), 'ids ascending and unique');
  t.ok(got.every((f) => idOf(f) > aliceLast), 'nothing she already had');
  t.match(resumed.result, { incomplete: [] });
});
