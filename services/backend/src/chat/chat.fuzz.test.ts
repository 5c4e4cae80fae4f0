import t from 'tap';
import fc from 'fast-check';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';

/*
 * Property: whatever JSON a signed-in member throws at a chat route, in whatever path segment,
 * query or body, the answer is never a 5xx (every refusal is a catalogue 4xx).
 */
const app = await buildTestApp(t);
const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);
if (!ada || !bob) throw new Error('users');
const conversation = await directConversation(ada, bob);
const message = await sendMessage(ada, conversation, 'fuzz me', 'fuzz-seed');
const RUNS = 100;

/** Path segments: real ids, well-formed strangers, and arbitrary strings. */
const segment = fc.oneof(
  { arbitrary: fc.constant(conversation), weight: 4 },
  { arbitrary: fc.constant(message.id), weight: 2 },
  fc.constant(bob.id),
  fc.stringMatching(/^[0-9a-f]{24}$/),
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 30 }),
).map(encodeURIComponent);

const memberId = fc.oneof(fc.constant(bob.id), fc.constant(ada.id), fc.uuid());
const text = fc.string({ minLength: 1, maxLength: 50 }).filter((s) => /\S/.test(s));
/** Bodies a route accepts, so the property reaches the services too, not only the validation. */
const valid = fc.oneof(
  fc.record({ type: fc.constant('direct'), members: fc.tuple(memberId) }),
  fc.record({ type: fc.constant('group'), name: text, members: fc.uniqueArray(memberId, { maxLength: 3 }) }),
  fc.record({ members: fc.uniqueArray(memberId, { minLength: 1, maxLength: 3 }) }),
  fc.record({ body: text, clientMessageId: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/) }),
  fc.record({ body: text }),
  fc.record({ upTo: fc.oneof(fc.constant(message.id), fc.stringMatching(/^[0-9a-f]{24}$/)) }),
);
/** Bodies: valid ones, arbitrary JSON, and objects with the routes' field names holding arbitrary JSON. */
const body = fc.oneof(
  { arbitrary: valid, weight: 3 },
  fc.jsonValue(),
  fc.record(
    {
      type: fc.oneof(fc.constantFrom('direct', 'group'), fc.jsonValue()),
      name: fc.oneof(fc.string(), fc.jsonValue()),
      members: fc.oneof(fc.array(fc.oneof(fc.constant(bob.id), fc.uuid(), fc.string())), fc.jsonValue()),
      body: fc.oneof(fc.string(), fc.jsonValue()),
      clientMessageId: fc.oneof(fc.string(), fc.jsonValue()),
      upTo: fc.oneof(fc.constant(message.id), fc.stringMatching(/^[0-9a-f]{24}$/), fc.jsonValue()),
    },
    { requiredKeys: [] },
  ),
);
const query = fc
  .record({ before: fc.oneof(fc.string(), fc.base64String()), limit: fc.oneof(fc.integer(), fc.string()) }, { requiredKeys: [] })
  .map((q) => new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)])).toString());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const routes: { method: Method; path: (a: string, b: string) => string; hasBody: boolean }[] = [
  { method: 'POST', path: () => '/v1/conversations', hasBody: true },
  { method: 'GET', path: () => '/v1/conversations', hasBody: false },
  { method: 'POST', path: (a) => `/v1/conversations/${a}/members`, hasBody: true },
  { method: 'DELETE', path: (a, b) => `/v1/conversations/${a}/members/${b}`, hasBody: false },
  { method: 'POST', path: (a) => `/v1/conversations/${a}/messages`, hasBody: true },
  { method: 'GET', path: (a) => `/v1/conversations/${a}/messages`, hasBody: false },
  { method: 'PATCH', path: (a, b) => `/v1/conversations/${a}/messages/${b}`, hasBody: true },
  { method: 'DELETE', path: (a, b) => `/v1/conversations/${a}/messages/${b}`, hasBody: false },
  { method: 'POST', path: (a) => `/v1/conversations/${a}/read`, hasBody: true },
];

for (const route of routes) {
  t.test(`${route.method} ${route.path(':id', ':other')}: random input never answers 5xx`, async (t) => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(segment, segment, query, body, fc.boolean(), async (a, b, q, payload, signedIn) => {
        const res = await app.inject({
          method: route.method,
          url: `${route.path(a, b)}${route.method === 'GET' ? `?${q}` : ''}`,
          headers: { ...(signedIn ? ada.session.headers : {}), ...(route.hasBody ? { 'content-type': 'application/json' } : {}) },
          ...(route.hasBody ? { payload: JSON.stringify(payload) } : {}),
        });
        statuses.add(res.statusCode);
        return res.statusCode < 500 && typeof res.json<{ code?: unknown }>().code === (res.statusCode >= 400 ? 'string' : 'undefined');
      }),
      { numRuns: RUNS },
    );
    t.ok([...statuses].every((s) => s < 500), `answered ${[...statuses].sort().join(', ')}`);
  });
}
