import t from 'tap';
import fc from 'fast-check';
import { ERROR_CODES } from '@ashchat/contracts';
import { authedWs, listeningApp } from '../realtime/ws.test-support.js';
import { hostileText } from '../text.test-support.js';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';

/*
 * Properties of the new send fields (replyTo, `@` mentions), over REST and WebSocket: whatever
 * replyTo and body a member sends, the answer is a stored message or a catalogue 4xx (never a
 * 5xx, never INTERNAL_ERROR); a stored reply quotes exactly the message it names; mentions are
 * only members, each once.
 */
const { app, url } = await listeningApp(t, { env: { WS_MESSAGES_PER_SECOND: '10000', WS_MESSAGES_BURST: '10000', WS_RESUME_HOLD_MS: '0' } });
const [ada, bob, cy] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
if (!ada || !bob || !cy) throw new Error('users');
const conversation = await directConversation(ada, bob);
const elsewhere = await directConversation(ada, cy);
const original = await sendMessage(bob, conversation, 'quote me', 'fuzz-original');
const foreign = await sendMessage(cy, elsewhere, 'not here', 'fuzz-foreign');
const RUNS = 80;
const MEMBERS = new Set([ada.id, bob.id]);

const replyTo = fc.oneof(
  { arbitrary: fc.constant(original.id), weight: 3 },
  fc.constant(foreign.id),
  fc.stringMatching(/^[0-9a-f]{24}$/),
  fc.string({ maxLength: 30 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const nick = fc.constantFrom(ada.nickname, bob.nickname, cy.nickname, bob.nickname.toUpperCase(), 'nobody');
const mentionBody = fc
  .array(fc.oneof(nick.map((n) => `@${n}`), fc.string({ maxLength: 8 }), fc.constant('@'), hostileText({ maxLength: 4 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(' '));
const body = fc.oneof({ arbitrary: mentionBody, weight: 3 }, fc.jsonValue({ maxDepth: 1 }));
let n = 0;

interface Sent {
  replyTo: { id: string; excerpt: string | null } | null;
  mentions: string[];
}
/** null when the answer breaks a property; otherwise a short label of the outcome. */
function judge(status: number, answer: Record<string, unknown>, sentReplyTo: unknown): string | null {
  if (status >= 500) return null;
  if (status >= 400) return typeof answer.code === 'string' && answer.code !== 'INTERNAL_ERROR' && ERROR_CODES.includes(answer.code as never) ? String(answer.code) : null;
  const message = answer as unknown as Sent;
  if (!message.mentions.every((id) => MEMBERS.has(id)) || new Set(message.mentions).size !== message.mentions.length) return null;
  if (sentReplyTo === undefined) return message.replyTo === null ? 'sent' : null;
  return message.replyTo?.id === sentReplyTo && message.replyTo.excerpt === 'quote me' ? 'reply' : null;
}

t.test('REST: POST …/messages with random replyTo and mention bodies', async (t) => {
  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.option(replyTo, { nil: undefined }), body, async (r, b) => {
      const payload = { body: b, clientMessageId: `fz-${(n += 1)}`, ...(r === undefined ? {} : { replyTo: r }) };
      const res = await ada.call('POST', `/v1/conversations/${conversation}/messages`, payload);
      const verdict = judge(res.statusCode, res.json(), r);
      if (verdict === null) throw new Error(`${JSON.stringify(payload)} → ${res.statusCode} ${res.body}`);
      seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
    }),
    { numRuns: RUNS },
  );
  t.ok(seen.has('reply') && seen.has('REPLY_TARGET_NOT_FOUND'), JSON.stringify(Object.fromEntries(seen)));
});

t.test('WebSocket: message.send with random replyTo and mention bodies', async (t) => {
  const ws = await authedWs(t, url, ada.session.accessToken);
  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.option(replyTo, { nil: undefined }), body, async (r, b) => {
      const requestId = `fz-${(n += 1)}`;
      ws.send({ type: 'message.send', requestId, conversationId: conversation, body: b, clientMessageId: requestId, ...(r === undefined ? {} : { replyTo: r }) });
      const answer = await ws.next((f) => (f.type === 'ack' || f.type === 'error') && f.requestId === requestId);
      const verdict = answer.type === 'ack' ? judge(201, (answer.result as { message: Record<string, unknown> }).message, r) : judge(400, answer, r);
      if (verdict === null) throw new Error(`${JSON.stringify({ r, b })} → ${JSON.stringify(answer)}`);
      seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
    }),
    { numRuns: RUNS },
  );
  t.ok(seen.has('reply'), JSON.stringify(Object.fromEntries(seen)));
});
