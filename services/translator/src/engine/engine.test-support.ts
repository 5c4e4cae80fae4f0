// Test-only engines on real sockets: a LibreTranslate-compatible server translating by a tiny
// dictionary, and a TCP gate in front of a real engine that can cut it off and let it back.
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Word → word, per `from|to`. Unknown words stay as they are (as real engines do). */
export type Dictionary = Record<string, Record<string, string>>;

export const DICTIONARY: Dictionary = {
  'en|es': { good: 'buenos', morning: 'días', cat: 'gato', house: 'casa', big: 'grande' },
  'es|fr': { buenos: 'bons', días: 'jours', gato: 'chat', casa: 'maison' },
  'es|en': { gato: 'cat', casa: 'house' },
};

export interface LibreServerOptions {
  /** Required `api_key`: a request without it (or with another) is answered 403 `{error}`. */
  apiKey?: string;
  /** Characters per request (LibreTranslate's char_limit): over it, 400 `{error: "… exceeds text limit …"}`. */
  charLimit?: number;
  /** Until set false, every call is answered 500. */
  failing?: boolean;
  /** Answer nothing at all (a hung engine). */
  silent?: boolean;
}

export interface LibreServer {
  url: string;
  /** Bodies of every POST /translate. */
  readonly requests: { q: unknown; source: unknown; target: unknown; api_key?: unknown }[];
  readonly options: LibreServerOptions;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const translateWords = (text: string, words: Record<string, string>): string =>
  text.replace(/\p{L}+/gu, (word) => words[word.toLowerCase()] ?? word);

export async function startLibreServer(options: LibreServerOptions = {}): Promise<LibreServer> {
  const requests: LibreServer['requests'] = [];
  const languages = new Map<string, string[]>();
  for (const pair of Object.keys(DICTIONARY)) {
    const [from, to] = pair.split('|') as [string, string];
    languages.set(from, [...(languages.get(from) ?? []), to]);
  }
  const server: HttpServer = createHttpServer((req, res) => {
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    void (async () => {
      if (options.silent) return;
      if (options.failing) return answer(500, { error: 'internal error' });
      if (req.method === 'GET' && req.url === '/languages')
        return answer(200, [...languages].map(([code, targets]) => ({ code, name: code, targets })));
      if (req.method !== 'POST' || req.url !== '/translate') return answer(404, { error: 'not found' });
      const body = JSON.parse(await readBody(req)) as LibreServer['requests'][number];
      requests.push(body);
      if (options.apiKey !== undefined && body.api_key !== options.apiKey) return answer(403, { error: 'Invalid API key' });
      const texts = Array.isArray(body.q) ? (body.q as string[]) : [String(body.q)];
      const chars = texts.reduce((n, t) => n + t.length, 0);
      if (options.charLimit !== undefined && chars > options.charLimit)
        return answer(400, { error: `Invalid request: request (${chars}) exceeds text limit (${options.charLimit})` });
      if (texts.some((t) => t.includes('REFUSE'))) return answer(400, { error: 'Invalid request: unsupported text' });
      const words = DICTIONARY[`${String(body.source)}|${String(body.target)}`];
      if (!words) return answer(400, { error: `${String(body.target)} is not supported` });
      const translated = texts.map((t) => translateWords(t, words));
      return answer(200, { translatedText: Array.isArray(body.q) ? translated : translated[0] });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    options,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface EngineGate {
  url: string;
  /** Connections are cut at once (the engine is unreachable); open connections are cut too. */
  down(): void;
  up(): void;
  /** Connections refused while down. */
  readonly refused: number;
  close(): Promise<void>;
}

/** A TCP gate in front of `targetUrl` (a real engine). */
export async function startEngineGate(targetUrl: string, startDown = false): Promise<EngineGate> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let isDown = startDown;
  let refused = 0;
  const server: Server = createServer((client) => {
    if (isDown) {
      refused += 1;
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    down() {
      isDown = true;
      for (const s of sockets) s.destroy();
    },
    up() {
      isDown = false;
    },
    get refused() {
      return refused;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
