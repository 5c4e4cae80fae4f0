import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP relay in front of a shared server (MongoDB, RabbitMQ, Redis) that a test can cut: the
 * dependency "goes away" for one app only, while the shared server keeps serving CI and the others.
 */
export interface TcpProxy {
  /** The loopback port the app connects to instead of the server's. */
  readonly port: number;
  /** Resets every relayed connection and refuses new ones (reset at once) until `restore()`. */
  cut(): void;
  /** Relays new connections again. */
  restore(): void;
  /** Stops listening and resets what is left. */
  close(): Promise<void>;
}

/** Starts a relay to `target` ("host:port") on a free loopback port. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  // A reset, not a polite FIN: a dead server or a cut link does not say goodbye.
  const kill = (socket: Socket): void => {
    if (!socket.destroyed) socket.resetAndDestroy();
  };
  const server = createServer((client) => {
    if (down) return kill(client);
    const upstream = connect(target.port, target.host);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(a);
      a.on('error', () => kill(b));
      a.on('close', () => {
        open.delete(a);
        kill(b);
      });
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      down = true;
      for (const socket of open) kill(socket);
    },
    restore() {
      down = false;
    },
    async close() {
      down = true;
      for (const socket of open) kill(socket);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A proxy in front of the server of `url` (mongodb://, amqp://, redis://) and the URL through it. */
export async function proxyFor(url: string, defaultPort: number): Promise<{ proxy: TcpProxy; url: string }> {
  const parsed = new URL(url);
  const proxy = await startTcpProxy({ host: parsed.hostname, port: parsed.port === '' ? defaultPort : Number(parsed.port) });
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return { proxy, url: parsed.toString() };
}
