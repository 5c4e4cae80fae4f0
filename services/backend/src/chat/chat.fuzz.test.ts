import t from 'tap';
import fc from 'fast-check';
import { CreateGroupConversationBody, EditMessageBody, ListMessagesQuery, SendMessageBody } from '@ashchat/contracts';
import { buildTestApp } from '../app.test-support.js';
import { expectedTextOutcome, hostileText, textAnswerProblem } from '../text.test-support.js';
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

/*
 * Property: every text field of the chat contracts follows the text rule. Text the rule refuses is
 * 400 INVALID_TEXT (or VALIDATION_FAILED when the field's own keywords refuse it first), text it
 * accepts is never INVALID_TEXT, nothing answers 5xx, and accepted text is stored as sent.
 */
let sent = 0;
// Not the message above: the fuzzing of DELETE may have deleted that one.
const editable = await sendMessage(ada, conversation, 'edit me', 'fuzz-edit');
const textFields: Array<{ name: string; schema: object; request: (v: string) => { method: Method; url: string; payload?: object; query?: Record<string, string> }; echo?: string }> = [
  { name: 'group name', schema: CreateGroupConversationBody.properties.name, request: (v) => ({ method: 'POST', url: '/v1/conversations', payload: { type: 'group', name: v, members: [bob.id] } }), echo: 'name' },
  {
    name: 'message body',
    schema: SendMessageBody.properties.body,
    request: (v) => ({ method: 'POST', url: `/v1/conversations/${conversation}/messages`, payload: { body: v, clientMessageId: `text-${(sent += 1)}` } }),
    echo: 'body',
  },
  { name: 'clientMessageId', schema: SendMessageBody.properties.clientMessageId, request: (v) => ({ method: 'POST', url: `/v1/conversations/${conversation}/messages`, payload: { body: 'hi', clientMessageId: v } }) },
  { name: 'message edit', schema: EditMessageBody.properties.body, request: (v) => ({ method: 'PATCH', url: `/v1/conversations/${conversation}/messages/${editable.id}`, payload: { body: v } }), echo: 'body' },
  { name: 'history cursor', schema: ListMessagesQuery.properties.before, request: (v) => ({ method: 'GET', url: `/v1/conversations/${conversation}/messages`, query: { before: v } }) },
];

for (const field of textFields) {
  t.test(`${field.name}: the text rule decides, never a 5xx, accepted text is kept`, async (t) => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileText({ maxLength: 10 }), async (generated) => {
        const r = field.request(generated);
        // A query string carries Unicode scalar values: a lone surrogate arrives as U+FFFD.
        const value = r.query ? (new URLSearchParams({ v: generated }).get('v') ?? '') : generated;
        const res = await app.inject({ method: r.method, url: r.url, headers: ada.session.headers, ...(r.query ? { query: r.query } : {}), ...(r.payload ? { payload: r.payload } : {}) });
        const answer = res.json<Record<string, unknown>>();
        const code = res.statusCode >= 400 ? answer.code : undefined;
        const key = `${res.statusCode} ${String(code ?? '')}`.trim();
        seen.set(key, (seen.get(key) ?? 0) + 1);
        const problem = textAnswerProblem(expectedTextOutcome(field.schema, value, true), res.statusCode, code);
        if (problem !== undefined) throw new Error(`${field.name} = ${JSON.stringify(value)}: ${problem}`);
        if (field.echo !== undefined && res.statusCode < 300 && answer[field.echo] !== value) {
          throw new Error(`${field.name} = ${JSON.stringify(value)} came back as ${JSON.stringify(answer[field.echo])}`);
        }
      }),
      { numRuns: RUNS },
    );
    t.pass(JSON.stringify(Object.fromEntries(seen)));
  });
}
