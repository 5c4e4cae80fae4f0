import t from 'tap';
import fc from 'fast-check';
import { ERROR_CATALOGUE } from '@ashchat/contracts';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, signedInUser } from '../chat/chat.test-support.js';

/*
 * Properties of the mute and block routes: whatever a signed-in user sends (body, path segment),
 * the answer is a catalogue answer and never a 5xx; a well-formed future end mutes, a past one is
 * MUTE_IN_PAST, anything else a 4xx with a catalogue code.
 */
const app = await buildTestApp(t);
const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);
if (!ada || !bob) throw new Error('users');
const conversation = await directConversation(ada, bob);
const RUNS = 100;
const HOUR = 3_600_000;

const statusOk = (status: number): boolean => status < 500;
const inCatalogue = (code: unknown): boolean => typeof code === 'string' && Object.hasOwn(ERROR_CATALOGUE, code);

t.test('PUT /v1/me/mutes/{id}: future ends mute, past ends are MUTE_IN_PAST, other bodies a catalogue 4xx', async (t) => {
  const future = fc.integer({ min: 60_000, max: 400 * 24 * HOUR }).map((ms) => ({ until: new Date(Date.now() + ms).toISOString(), expect: 200 }));
  const past = fc.integer({ min: 1_000, max: 400 * 24 * HOUR }).map((ms) => ({ until: new Date(Date.now() - ms).toISOString(), expect: 400 }));
  const forGood = fc.constant({ until: null, expect: 200 });
  await fc.assert(
    fc.asyncProperty(fc.oneof(future, past, forGood), async ({ until, expect }) => {
      const res = await ada.call('PUT', `/v1/me/mutes/${conversation}`, { until });
      if (res.statusCode !== expect) return false;
      if (expect === 200) return res.json<{ until: string | null }>().until === until;
      return res.json<{ code: string }>().code === 'MUTE_IN_PAST';
    }),
    { numRuns: RUNS },
  );
  const body = fc.oneof(
    fc.jsonValue(),
    fc.record({ until: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.jsonValue()) }),
    fc.record({ until: fc.constant(null), extra: fc.jsonValue() }),
  );
  await fc.assert(
    fc.asyncProperty(body, async (payload) => {
      const res = await ada.call('PUT', `/v1/me/mutes/${conversation}`, payload);
      if (!statusOk(res.statusCode)) return false;
      // Only a future date or null mutes (unlikely here, but allowed); anything else is refused with a catalogue code
      // (a bare JSON string is sent as text and refused as UNSUPPORTED_MEDIA_TYPE).
      if (res.statusCode === 200) return true;
      return res.statusCode >= 400 && inCatalogue(res.json<{ code?: unknown }>().code);
    }),
    { numRuns: RUNS },
  );
  t.pass('every answer as specified');
});

t.test('any path segment on the mute and block routes: never a 5xx', async (t) => {
  const segment = fc
    .oneof(fc.constant(conversation), fc.constant(bob.id), fc.constant(ada.id), fc.stringMatching(/^[0-9a-f]{24}$/), fc.uuid(), fc.string({ minLength: 1, maxLength: 40 }))
    .map(encodeURIComponent);
  const method = fc.constantFrom('PUT' as const, 'DELETE' as const);
  const route = fc.constantFrom('mutes', 'blocks');
  await fc.assert(
    fc.asyncProperty(method, route, segment, fc.option(fc.jsonValue(), { nil: undefined }), async (m, r, s, payload) => {
      const res = await ada.call(m, `/v1/me/${r}/${s}`, r === 'mutes' && m === 'PUT' ? (payload ?? { until: null }) : undefined);
      if (!statusOk(res.statusCode)) return false;
      if (res.statusCode >= 400) return inCatalogue(res.json<{ code?: unknown }>().code);
      return true;
    }),
    { numRuns: RUNS },
  );
  // Whatever happened above, the lists still read (nothing stored that breaks them).
  t.equal((await ada.call('GET', '/v1/me/mutes')).statusCode, 200);
  t.equal((await ada.call('GET', '/v1/me/blocks')).statusCode, 200);
});
