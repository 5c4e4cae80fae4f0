import type { IncomingMessage, ServerResponse } from 'node:http';
import { detail, matchesQuery, summary, type MailStore, type StoredMail } from './mail.store.js';

const MAX_BODY = 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text ? JSON.parse(text) : undefined;
}

function page(store: MailStore, list: readonly StoredMail[], url: URL) {
  const start = Math.max(0, Number(url.searchParams.get('start') ?? 0) || 0);
  const limit = Math.max(0, Number(url.searchParams.get('limit') ?? 50) || 50);
  const slice = list.slice(start, start + limit);
  const all = store.all();
  return {
    total: all.length,
    unread: all.filter((m) => !m.Read).length,
    count: slice.length,
    messages_count: list.length,
    messages_unread: list.filter((m) => !m.Read).length,
    start,
    tags: [] as string[],
    messages: slice.map(summary),
  };
}

/** Subset of Mailpit's REST API (same paths and JSON shapes) over the in-memory store. */
export function createMailApiHandler(store: MailStore) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    try {
      if (path === '/livez' || path === '/readyz') return send(res, 200, { ok: true });
      if (path === '/api/v1/messages') {
        if (method === 'GET') return send(res, 200, page(store, store.all(), url));
        if (method === 'DELETE') {
          const body = (await readJson(req)) as { IDs?: unknown } | undefined;
          const ids = body?.IDs;
          if (ids !== undefined && !(Array.isArray(ids) && ids.every((i) => typeof i === 'string'))) {
            return send(res, 400, { error: 'IDs must be an array of message IDs' });
          }
          store.delete(ids && ids.length > 0 ? (ids as string[]) : undefined);
          return send(res, 200, 'ok');
        }
      }
      if (path === '/api/v1/search') {
        const query = url.searchParams.get('query') ?? '';
        const matched = store.all().filter((m) => matchesQuery(m, query));
        if (method === 'GET') return send(res, 200, page(store, matched, url));
        if (method === 'DELETE') {
          store.delete(matched.map((m) => m.ID));
          return send(res, 200, 'ok');
        }
      }
      const msg = /^\/api\/v1\/message\/([^/]+)(\/raw)?$/.exec(path);
      if (msg && method === 'GET') {
        const found = store.get(decodeURIComponent(msg[1]!));
        if (!found) return send(res, 404, { error: 'message not found' });
        if (msg[2]) {
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          return void res.end(found.Raw);
        }
        found.Read = true;
        return send(res, 200, detail(found));
      }
      return send(res, 404, { error: `no route ${method} ${url.pathname}` });
    } catch (err) {
      return send(res, 400, { error: (err as Error).message });
    }
  };
}
