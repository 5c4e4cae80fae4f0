import t from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { directConversation, signedInUser, type ChatTestUser } from './chat.test-support.js';
import { authedWs, listeningApp, type Frame, type TestWsClient } from '../realtime/ws.test-support.js';

/**
 * Issue #12's cross-user case: one account floods message bodies the database cannot store (NUL)
 * over REST and WebSocket while another user sends 200 ordinary messages in another conversation.
 * Sends arriving together share one insert (group commit), so before the fix one NUL body failed
 * every send batched with it: 111 of the 200 ordinary sends answered 500.
 */
const VICTIM_SENDS = 200;
const NUL_BODY = 'x\u0000y';

async function pool<T>(count: number, width: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        out[i] = await job(i);
      }
    }),
  );
  return out;
}

async function historyIds(user: ChatTestUser, conversationId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '?limit=100' : `?limit=100&before=${cursor}`;
    const res: LightMyRequestResponse = await user.call('GET', `/v1/conversations/${conversationId}/messages${query}`);
    if (res.statusCode !== 200) throw new Error(`history: ${res.statusCode} ${res.body}`);
    const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
    ids.push(...page.items.map((m) => m.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

t.test('a user flooding unstorable text harms nobody else: all 200 ordinary sends are stored and delivered', async (t) => {
  // The per-connection frame budget is raised so the flood reaches the send path instead of the rate limit.
  const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '0', WS_MESSAGES_PER_SECOND: '10000', WS_MESSAGES_BURST: '100000' } });
  const [mallory, eve, bob, carol] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app), signedInUser(app)]);
  const [floodConversation, victimConversation] = await Promise.all([directConversation(mallory, eve), directConversation(bob, carol)]);
  const [malloryWs, bobWs, carolWs] = await Promise.all([
    authedWs(t, url, mallory.session.accessToken),
    authedWs(t, url, bob.session.accessToken),
    authedWs(t, url, carol.session.accessToken),
  ]);

  let victimDone = false;
  const floodRest: LightMyRequestResponse[] = [];
  const floodWs: Frame[] = [];
  let floodSeq = 0;
  const restFlooder = async (): Promise<void> => {
    while (!victimDone) {
      floodSeq += 1;
      floodRest.push(await mallory.call('POST', `/v1/conversations/${floodConversation}/messages`, { body: NUL_BODY, clientMessageId: `nul-${floodSeq}` }));
    }
  };
  const wsFlooder = async (ws: TestWsClient, lane: number): Promise<void> => {
    for (let i = 0; !victimDone; i += 1) {
      const requestId = `nul-${lane}-${i}`;
      ws.send({ type: 'message.send', requestId, conversationId: floodConversation, body: NUL_BODY, clientMessageId: requestId });
      floodWs.push(await ws.next((f) => f.requestId === requestId));
    }
  };
  const flood = Promise.all([restFlooder(), restFlooder(), restFlooder(), restFlooder(), wsFlooder(malloryWs, 1), wsFlooder(malloryWs, 2)]);

  // Half over REST, half over WebSocket, several in flight at once so they batch with the flood.
  const victim = async (): Promise<{ rest: LightMyRequestResponse[]; acks: Frame[] }> => {
    const [rest, acks] = await Promise.all([
      pool(VICTIM_SENDS / 2, 4, (i) => bob.call('POST', `/v1/conversations/${victimConversation}/messages`, { body: `ordinary ${i}`, clientMessageId: `rest-${i}` })),
      pool(VICTIM_SENDS / 2, 4, async (i) => {
        const requestId = `ws-${i}`;
        bobWs.send({ type: 'message.send', requestId, conversationId: victimConversation, body: `ordinary ws ${i}`, clientMessageId: requestId });
        return bobWs.next((f) => f.requestId === requestId, 20_000);
      }),
    ]);
    return { rest, acks };
  };
  const { rest, acks } = await victim().finally(() => (victimDone = true));
  await flood;

  t.same(
    rest.map((r) => r.statusCode).filter((s) => s !== 201),
    [],
    'every ordinary REST send answered 201',
  );
  t.same(
    acks.filter((f) => f.type !== 'ack' || (f.result as { created?: boolean }).created !== true),
    [],
    'every ordinary WebSocket send acked as created',
  );
  const sentIds = [...rest.map((r) => r.json<{ id: string }>().id), ...acks.map((f) => (f.result as { message: { id: string } }).message.id)];
  t.equal(new Set(sentIds).size, VICTIM_SENDS, '200 distinct messages');

  const stored = await historyIds(carol, victimConversation);
  t.same([...stored].sort(), [...sentIds].sort(), 'all 200 are stored, nothing else');
  for (const id of sentIds) await carolWs.next((f) => f.type === 'message.new' && (f.message as { id: string }).id === id, 10_000);
  t.pass('all 200 were delivered live to the recipient');

  t.ok(floodRest.length > 0 && floodWs.length > 0, `the flood ran (${floodRest.length} REST, ${floodWs.length} WebSocket)`);
  t.same(
    [...new Set(floodRest.map((r) => `${r.statusCode} ${r.json<{ code: string }>().code}`))],
    ['400 INVALID_TEXT'],
    'every flooded REST send was refused with 400 INVALID_TEXT',
  );
  t.same(
    [...new Set(floodWs.map((f) => `${f.type} ${String(f.code)}`))],
    ['error INVALID_TEXT'],
    'every flooded frame was refused with an INVALID_TEXT error frame',
  );
  t.same(await historyIds(eve, floodConversation), [], 'nothing of the flood was stored');
  t.equal(malloryWs.ws.readyState, malloryWs.ws.OPEN, "the flooder's socket is still open (a refusal is not a crash)");
});
