import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { WS_BEARER_PREFIX, WS_RESUME_SUBPROTOCOL, WS_SUBPROTOCOL } from '@ashchat/contracts';
import { buildTestApp, type Teardown, type TestAppOptions } from '../app.test-support.js';
import { createTestUser, loginAs, type TestSession, type TestUser } from '../users/user.test-support.js';

/** Test-only helpers (excluded from the build): a listening backend, a signed-in user and a WebSocket client that records frames. */

export type Frame = Record<string, unknown> & { type: string };

export interface ListeningApp {
  app: FastifyInstance;
  /** ws://127.0.0.1:<port>/v1/ws */
  url: string;
}

/** A backend on the real infrastructure, listening on a free loopback port; closed at teardown. */
export async function listeningApp(t: Teardown, options: TestAppOptions = {}): Promise<ListeningApp> {
  const app = await buildTestApp(t, options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `ws://127.0.0.1:${port}/v1/ws` };
}

/** A new user signed in over REST: what a connection authenticates with. */
export async function signedInUser(app: FastifyInstance): Promise<TestUser & { session: TestSession }> {
  const user = await createTestUser(app);
  return { ...user, session: await loginAs(app, user) };
}

export interface WsClientOptions {
  /** Sent as `ashchat.bearer.<token>` in Sec-WebSocket-Protocol, with `ashchat.v1`. */
  token?: string;
  protocols?: string[];
  /** Offers `ashchat.resume` too (with `token`): live events wait for the client's `resume` frame. */
  resume?: boolean;
}

export class TestWsClient {
  readonly frames: Frame[] = [];
  private taken = new Set<number>();
  private wake = new Set<() => void>();
  /** Resolves with the close code and reason once the connection is closed (by either side). */
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as Frame);
      for (const w of this.wake) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    // A refused handshake or a reset must fail the waiting test, not crash the process.
    ws.on('error', () => undefined);
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame not yet returned that matches, waiting (bounded) for it to arrive. */
  next(match: (frame: Frame) => boolean = () => true, timeoutMs = 10_000): Promise<Frame> {
    const find = (): Frame | undefined => {
      for (let i = 0; i < this.frames.length; i += 1) {
        if (!this.taken.has(i) && match(this.frames[i]!)) {
          this.taken.add(i);
          return this.frames[i];
        }
      }
      return undefined;
    };
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake.delete(check);
      };
      const check = (): void => {
        const frame = find();
        if (frame) {
          done();
          resolve(frame);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching frame within ${timeoutMs} ms; received: ${JSON.stringify(this.frames).slice(0, 2_000)}`));
      }, timeoutMs);
      this.wake.add(check);
      void this.closed.then(() => {
        // Closed: nothing more will come; one last look, then give up.
        check();
        if (this.wake.has(check)) {
          done();
          reject(new Error(`connection closed before a matching frame; received: ${JSON.stringify(this.frames).slice(0, 2_000)}`));
        }
      });
    });
  }

  /** The next frame of `type` (with `requestId` when given). */
  nextOf(type: string, requestId?: string, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f.type === type && (requestId === undefined || f.requestId === requestId), timeoutMs);
  }

  /** Waits (bounded) for the close and returns its code and reason. */
  async closeCode(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`connection not closed within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

/** Opens a connection (resolves once open); closed at teardown. */
export async function connectWs(t: Teardown, url: string, options: WsClientOptions = {}): Promise<TestWsClient> {
  const resume = options.resume === true ? [WS_RESUME_SUBPROTOCOL] : [];
  const protocols = options.protocols ?? (options.token === undefined ? [] : [WS_SUBPROTOCOL, `${WS_BEARER_PREFIX}${options.token}`, ...resume]);
  const ws = new WebSocket(url, protocols);
  const client = new TestWsClient(ws);
  t.teardown(() => client.close());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

/** Opens a connection authenticated through the header and waits for `auth.ok`. */
export async function authedWs(t: Teardown, url: string, token: string, options: { resume?: boolean } = {}): Promise<TestWsClient> {
  const client = await connectWs(t, url, { token, ...options });
  await client.nextOf('auth.ok');
  return client;
}
