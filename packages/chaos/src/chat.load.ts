import { randomBytes } from 'node:crypto';
import { pick, randomInt } from './chaos.random.js';
import type { ChaosTarget, LoadHandle } from './chaos.types.js';
import { createChatUser, createConversation, type ChatUser } from './chat.account.js';
import { startDevice, type ChatDevice } from './chat.client.js';
import type { ChatLog, DeviceLog } from './chat.log.js';

export type { ChatLog } from './chat.log.js';

// The chat load: users registered through the real flow, direct and group conversations, one
// device per user (two for some) on WebSockets spread over the backends, sending over WS and REST,
// some disconnecting on purpose and resuming; every device records what it sent and received.

export interface ChatLoadOptions {
  users: number;
  quick: boolean;
}

/** Messages per second over all devices. */
const RATE = { quick: 4, full: 25 } as const;
/** Chance per device and second to disconnect on purpose (then pause 0.5–3 s and resume). */
const DISCONNECT_PER_SECOND = 0.02;
const QUIET_BOUND_MS = 20_000;
const SETUP_CONCURRENCY = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startChatLoad(target: ChaosTarget, o: ChatLoadOptions): Promise<LoadHandle<ChatLog>> {
  const { rng } = target;
  const startedAt = Date.now();
  const chatLog: ChatLog = { conversations: [], devices: [], errors: [], startedAt, stoppedAt: 0 };
  const runTag = randomBytes(4).toString('hex');
  const userCount = Math.max(3, o.users);
  // Every decision from the seed is taken here, before anything asynchronous can reorder it.
  const plans = Array.from({ length: userCount }, (_, i) => ({
    devices: rng() < 0.25 ? 2 : 1,
    language: (rng() < 0.25 ? 'es' : 'en') as 'en' | 'es',
    backend: i % target.backends.length,
  }));
  const groups = Array.from({ length: Math.max(1, Math.floor(userCount / 3)) }, () => {
    const size = Math.min(userCount, randomInt(rng, 3, 6));
    const members = new Set<number>();
    while (members.size < size) members.add(randomInt(rng, 0, userCount - 1));
    return [...members];
  });

  target.log(`chat: registering ${userCount} users (${plans.filter((p) => p.devices === 2).length} with two devices)`);
  const users: ChatUser[] = new Array(userCount);
  let next = 0;
  await Promise.all(
    Array.from({ length: SETUP_CONCURRENCY }, async () => {
      while (next < userCount) {
        const i = next++;
        const account = { mailApiUrl: target.mailApiUrl, backend: () => target.backends[i % target.backends.length]!, runTag };
        users[i] = await createChatUser(account, i, plans[i]!.devices, plans[i]!.language);
      }
    }),
  );

  // Direct conversations along a ring (each user talks to the next), plus the groups.
  const backendOf = (u: number) => target.backends[u % target.backends.length]!;
  for (let u = 0; u < userCount; u++) {
    const other = users[(u + 1) % userCount]!;
    const id = await createConversation(backendOf(u), users[u]!.devices[0]!.token, { type: 'direct', members: [other.userId] });
    chatLog.conversations.push({ id, type: 'direct', members: [users[u]!.userId, other.userId] });
  }
  for (const [g, members] of groups.entries()) {
    const [owner, ...rest] = members.map((m) => users[m]!);
    const body = { type: 'group', name: `chaos group ${g}`, members: rest.map((r) => r.userId) };
    const id = await createConversation(backendOf(g), owner!.devices[0]!.token, body);
    chatLog.conversations.push({ id, type: 'group', members: [owner!.userId, ...rest.map((r) => r.userId)] });
  }
  target.log(`chat: ${chatLog.conversations.length} conversations; connecting devices`);

  const devices: ChatDevice[] = [];
  for (const user of users) {
    const mine = chatLog.conversations.filter((c) => c.members.includes(user.userId)).map((c) => c.id);
    for (const [d, session] of user.devices.entries()) {
      const log: DeviceLog = {
        device: `${user.index}.${d}`,
        userId: user.userId,
        conversations: mine,
        sent: [],
        received: [],
        paged: [],
        resumes: [],
        connections: 0,
        cutConnections: 0,
        intentionalDisconnects: 0,
        synced: false,
        errors: [],
      };
      chatLog.devices.push(log);
      devices.push(startDevice({ log, token: session.token, backends: target.backends, firstBackend: randomInt(rng, 0, target.backends.length - 1) }));
    }
  }

  // The sending loop: a tick every 100 ms picks devices to send or disconnect, from the seed.
  const perTick = (o.quick ? RATE.quick : RATE.full) / 10;
  let stopped = false;
  let counter = 0;
  const loop = (async () => {
    while (!stopped && Date.now() < target.deadline) {
      const count = Math.floor(perTick) + (rng() < perTick - Math.floor(perTick) ? 1 : 0);
      for (let k = 0; k < count; k++) {
        const device = pick(rng, devices);
        const conversationId = pick(rng, device.log.conversations);
        // A busy or disconnected device lets this one pass: the rate is an upper bound.
        device.send(conversationId, rng() < 0.25 ? 'rest' : 'ws', `chaos message ${++counter} from ${device.log.device}`);
      }
      for (const device of devices) if (rng() < DISCONNECT_PER_SECOND / 10) device.disconnect(randomInt(rng, 500, 3_000));
      await sleep(100);
    }
  })();

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    stopped = true;
    await loop;
    // The quiet period: every device back and resumed, every send acked, every acked message delivered.
    const until = Date.now() + QUIET_BOUND_MS;
    const settled = () => {
      if (!devices.every((d) => d.connected() && !d.busy())) return false;
      const acked = chatLog.devices.flatMap((d) => d.sent.filter((s) => s.messageId !== undefined));
      return devices.every((d) => acked.every((s) => !d.log.conversations.includes(s.conversationId) || d.has(s.conversationId, s.messageId!)));
    };
    while (Date.now() < until && !settled()) {
      for (const d of devices) d.wake();
      await sleep(200);
    }
    if (!settled()) target.log('chat: the quiet period ended with devices not settled (see the tally)');
    for (const d of devices) d.close();
    chatLog.stoppedAt = Date.now();
    const sent = chatLog.devices.reduce((n, d) => n + d.sent.length, 0);
    target.log(`chat: stopped after ${Math.round((chatLog.stoppedAt - startedAt) / 1000)} s, ${sent} sends`);
  }

  return {
    stop: () => (stopping ??= stop()),
    result: async () => {
      await (stopping ??= stop());
      return chatLog;
    },
  };
}
