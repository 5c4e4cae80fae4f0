import t from 'tap';
import fc from 'fast-check';
import { isSingleEmoji } from '@ashchat/contracts';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';

/*
 * Properties of the emoji path segment: whatever string arrives there, PUT and DELETE answer 200/204
 * exactly for one emoji and INVALID_EMOJI (400) otherwise, never a 5xx; the check agrees with a
 * grapheme count.
 */
const app = await buildTestApp(t);
const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);
if (!ada || !bob) throw new Error('users');
const conversation = await directConversation(ada, bob);
const message = await sendMessage(ada, conversation, 'fuzz my reactions', 'reaction-fuzz');
const RUNS = 100;

const EMOJIS = ['👍', '❤️', '😂', '🎉', '🙏', '🇩🇪', '👩🏽‍💻', '🏳️‍🌈', '1️⃣', '🫠', '👨‍👩‍👧‍👦', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'];
const emoji = fc.constantFrom(...EMOJIS);
/** Strings near the edge: emojis, pairs of them, bits of sequences, and arbitrary text. */
const candidate = fc.oneof(
  { arbitrary: emoji, weight: 3 },
  fc.tuple(emoji, emoji).map(([a, b]) => a + b),
  fc.tuple(emoji, fc.constantFrom(' ', '\u200d', '\uFE0F', 'a', '\u0301')).map(([a, b]) => a + b),
  fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' }),
  fc.string({ minLength: 1, maxLength: 8, unit: 'binary' }),
);
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

t.test('isSingleEmoji: every listed emoji passes, two of them or an emoji with a tail never do', async (t) => {
  for (const e of EMOJIS) t.ok(isSingleEmoji(e), e);
  fc.assert(
    fc.property(candidate, (s) => {
      if (isSingleEmoji(s)) return [...graphemes.segment(s)].length === 1;
      return true;
    }),
    { numRuns: 500 },
  );
  fc.assert(fc.property(emoji, emoji, (a, b) => !isSingleEmoji(a + b)), { numRuns: 200 });
});

t.test('PUT and DELETE on arbitrary emoji segments: 200/204 for one emoji, INVALID_EMOJI otherwise, never 5xx', async (t) => {
  await fc.assert(
    fc.asyncProperty(candidate, async (s) => {
      const url = `/v1/conversations/${conversation}/messages/${message.id}/reactions/${encodeURIComponent(s)}`;
      const put = await ada.call('PUT', url);
      const del = await ada.call('DELETE', url);
      if (isSingleEmoji(s)) return put.statusCode === 200 && put.json().emoji === s && del.statusCode === 204;
      // A segment longer than the router's maxParamLength is no route at all (never a 5xx either).
      const allowed = new Set(['INVALID_EMOJI', 'ROUTE_NOT_FOUND']);
      return put.statusCode < 500 && allowed.has(put.json().code) && del.statusCode < 500 && allowed.has(del.json().code);
    }),
    { numRuns: RUNS },
  );
  const page = await ada.call('GET', `/v1/conversations/${conversation}/messages`);
  t.same(page.json().items[0].reactions, [], 'every reaction taken back again');
});
