// Sections of `cpu.bench.ts` on one built backend: (1) gateway CPU per delivered message in a
// persisted 10-member room vs a bare `ws` relay and a bare Socket.io relay (each its own process,
// the same room load); (2) authenticated GET /v1/conversations vs a bare Fastify hello-world
// (autocannon): req/s and CPU per request. Rounds alternate the targets.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import type { BackendConfig } from '@ashchat/backend';
import { runHttpLoad, type HttpLoadResult } from './autocannon.child.js';
import { benchUsers, okJson } from './bench.backend.js';
import type { ProfileWindow } from './cpu.profile.js';
import { measureWindow, startBuiltBackend, windowOf, type ServiceOptions } from './cpu.services.js';
import type { SioRoomSettings } from './cpu.sio.load.child.js';
import type { RoomResult, RoomSettings } from './ws.load.child.js';
import { spawnNode, type NodeChild } from './ws.processes.js';

const ROOM_SIZE = 10;
export interface RoomCpu {
  delivered: number;
  deliveredPerSecond: number;
  msPerDelivered: number;
}
export interface WsRound {
  gateway: RoomCpu;
  wsRelay: RoomCpu;
  socketIo: RoomCpu;
}
export interface RestCpu {
  requestsPerSecond: number;
  requests: number;
  msPerRequest: number;
}
export interface RestRound {
  conversations: RestCpu;
  helloWorld: RestCpu;
}
export interface WsOptions extends ServiceOptions {
  rounds: number;
  durationMs: number;
  warmupMs: number;
  window: number;
  bodyBytes: number;
  restSeconds: number;
  restConnections: number;
  /** Which sections run (`cpu.bench.ts --only`). */
  ws: boolean;
  rest: boolean;
  log(line: string): void;
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const env = (): Record<string, string> => ({ PATH: process.env.PATH ?? '' });

/** A child that prints one JSON line: its first line parsed, after `settings` went to its stdin. */
async function runChild<R>(file: string, settings: unknown): Promise<R> {
  const child = spawnNode([here(file)], { env: env() });
  try {
    child.child.stdin!.write(`${JSON.stringify(settings)}\n`);
    const [line] = await child.line(/^\{.*\}$/, 120_000);
    return JSON.parse(line!) as R;
  } finally {
    child.child.stdin!.end('close\n');
    await child.stop();
  }
}

async function startRelay(file: string): Promise<{ relay: NodeChild; port: number }> {
  const relay = spawnNode([here(file)], { env: env() });
  const [line] = await relay.line(/^\{"port":\d+\}$/, 30_000);
  return { relay, port: (JSON.parse(line!) as { port: number }).port };
}

function roomCpu(cpuMs: number, r: RoomResult): RoomCpu {
  if (r.errors > 0 || r.delivered === 0) throw new Error(`room load: ${r.errors} errors, ${r.delivered} delivered`);
  return { delivered: r.delivered, deliveredPerSecond: r.deliveredPerSecond, msPerDelivered: cpuMs / r.delivered };
}

export async function measureWsAndRest(config: BackendConfig, o: WsOptions): Promise<{ ws: WsRound[]; rest: RestRound[]; windows: Record<string, ProfileWindow> }> {
  const mongo = await MongoClient.connect(config.MONGODB_URI);
  const stops: (() => Promise<void>)[] = [];
  try {
    const backend = await startBuiltBackend(config, { ...o, profileTag: 'ws' });
    stops.push(() => backend.process.stop());
    const users = await benchUsers(mongo.db(config.MONGODB_DB), config, 'cpu');
    const members = await Promise.all(Array.from({ length: ROOM_SIZE }, (_, i) => users.insert(i)));
    const auths = await Promise.all(members.map((m) => users.signIn(backend.base, m)));
    const post = <T>(path: string, body: unknown): Promise<T> =>
      fetch(`${backend.base}${path}`, { method: 'POST', headers: { ...auths[0]!, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((res) => okJson<T>(res, `POST ${path}`));
    const room = await post<{ id: string }>('/v1/conversations', { type: 'group', name: 'cpu room', members: members.slice(1).map((m) => m._id) });
    // The inbox of member 0 for the REST load: the room and a direct conversation with each other member.
    for (const other of members.slice(1)) {
      const direct = await post<{ id: string }>('/v1/conversations', { type: 'direct', members: [other._id] });
      await post(`/v1/conversations/${direct.id}/messages`, { body: 'hello', clientMessageId: randomUUID() });
    }
    const wsRelay = await startRelay('./ws.relay.child.ts');
    stops.push(async () => void (wsRelay.relay.child.stdin!.end(), await wsRelay.relay.stop()));
    const sio = await startRelay('./cpu.sio.relay.child.ts');
    stops.push(async () => void (sio.relay.child.stdin!.end(), await sio.relay.stop()));

    const base = { conversationId: room.id, bodyBytes: o.bodyBytes, window: o.window };
    const gatewayRun = (ms: number): Promise<RoomResult> =>
      runChild<RoomResult>('./ws.load.child.ts', { mode: 'room', url: `${backend.base.replace('http', 'ws')}/v1/ws`, members: auths.map((a) => ['ashchat.v1', `ashchat.bearer.${a.authorization.slice('Bearer '.length)}`]), readyFrame: 'auth.ok', warmupMs: 0, durationMs: ms, ...base } satisfies RoomSettings);
    const wsRelayRun = (ms: number): Promise<RoomResult> =>
      runChild<RoomResult>('./ws.load.child.ts', { mode: 'room', url: `ws://127.0.0.1:${wsRelay.port}`, members: members.map(() => []), readyFrame: null, warmupMs: 0, durationMs: ms, ...base } satisfies RoomSettings);
    const sioRun = (ms: number): Promise<RoomResult> =>
      runChild<RoomResult>('./cpu.sio.load.child.ts', { url: `http://127.0.0.1:${sio.port}`, members: ROOM_SIZE, durationMs: ms, ...base } satisfies SioRoomSettings);
    const targets = [
      { name: 'gateway', pid: backend.process.child.pid!, run: gatewayRun },
      { name: 'wsRelay', pid: wsRelay.relay.child.pid!, run: wsRelayRun },
      { name: 'socketIo', pid: sio.relay.child.pid!, run: sioRun },
    ] as const;
    const ws: WsRound[] = [];
    const windows: Record<string, ProfileWindow> = {};
    if (o.ws) o.log(`WebSocket: warm-up ${o.warmupMs} ms per server (gateway, ws relay, Socket.io relay)`);
    for (const t of o.ws ? targets : []) await t.run(o.warmupMs);
    const from = performance.now();
    for (let r = 1; r <= (o.ws ? o.rounds : 0); r += 1) {
      o.log(`WebSocket round ${r}/${o.rounds}: ${ROOM_SIZE}-member room, ${o.durationMs} ms per server`);
      const round = {} as WsRound;
      for (const t of targets) {
        const w = await measureWindow([t.pid], () => t.run(o.durationMs));
        round[t.name] = roomCpu(w.cpuMs[0]!, w.result);
      }
      ws.push(round);
    }

    if (o.ws) windows['backend-ws'] = windowOf(backend.process, from, performance.now());
    const rest: RestRound[] = [];
    if (o.rest) {
      // Profiled on a backend of its own (the same database and secrets), so that profile holds the REST load only.
      const restBackend = o.profileDir ? await startBuiltBackend(config, { ...o, profileTag: 'rest' }) : backend;
      if (restBackend !== backend) stops.unshift(() => restBackend.process.stop());
      const hello = await startRelay('./cpu.hello.child.ts');
      stops.push(async () => void (hello.relay.child.stdin!.end(), await hello.relay.stop()));
      const http = [
        { name: 'conversations', pid: restBackend.process.child.pid!, url: `${restBackend.base}/v1/conversations`, headers: auths[0] },
        { name: 'helloWorld', pid: hello.relay.child.pid!, url: `http://127.0.0.1:${hello.port}/`, headers: undefined },
      ] as const;
      const load = (t: (typeof http)[number], seconds: number): Promise<HttpLoadResult> =>
        runHttpLoad({ url: t.url, ...(t.headers ? { headers: t.headers } : {}), connections: o.restConnections, durationSeconds: seconds });
      o.log('REST: warm-up 2 s each');
      for (const t of http) await load(t, 2);
      const restFrom = performance.now();
      for (let r = 1; r <= o.rounds; r += 1) {
        o.log(`REST round ${r}/${o.rounds}: ${o.restSeconds} s each`);
        const round = {} as RestRound;
        for (const t of http) {
          const w = await measureWindow([t.pid], () => load(t, o.restSeconds));
          if (w.result.non2xx > 0 || w.result.errors > 0) throw new Error(`REST ${t.name}: ${w.result.non2xx} non-2xx, ${w.result.errors} errors`);
          round[t.name] = { requestsPerSecond: w.result.requestsPerSecond, requests: w.result.requests, msPerRequest: w.cpuMs[0]! / w.result.requests };
        }
        rest.push(round);
      }
      // The hello-world's turns fall inside it too, when the backend idles.
      if (restBackend !== backend) windows['backend-rest'] = windowOf(restBackend.process, restFrom, performance.now());
    }
    return { ws, rest, windows };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await mongo.db(config.MONGODB_DB).dropDatabase().catch(() => undefined);
    await mongo.close();
  }
}
