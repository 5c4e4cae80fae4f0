import t from 'tap';
import fc from 'fast-check';
import { ERROR_CATALOGUE, ERROR_CODES, WS_CLOSE_CODES, WsAuthFrame, WsMessageSendFrame, type ErrorCode } from '@ashchat/contracts';
import { expectedTextOutcome, hostileText, textAnswerProblem } from '../text.test-support.js';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';
import { authedWs, listeningApp, type Frame, type TestWsClient } from '../realtime/ws.test-support.js';

/*
 * Property: whatever a signed-in client sends (valid frames with odd values, wrong field types,
 * arbitrary JSON, text that is not JSON, text frames that are not UTF-8, binary, oversized frames),
 * each frame is answered with an ack, a pong, an `auth.ok` or an `error` with a catalogue code
 * (never INTERNAL_ERROR), or the connection is closed with a documented code; and the server keeps
 * serving everyone else.
 */
const MAX_FRAME = 8_192;
const { app, url } = await listeningApp(t, {
  env: { WS_MESSAGES_PER_SECOND: '10000', WS_MESSAGES_BURST: '10000', WS_MAX_FRAME_BYTES: String(MAX_FRAME), WS_RESUME_HOLD_MS: '0' },
});
const [ada, bob, carol] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
if (!ada || !bob || !carol) throw new Error('users');
const conversation = await directConversation(ada, bob);
const message = await sendMessage(ada, conversation, 'fuzz me', 'fuzz-seed');
const RUNS = 150;

const TYPES = ['auth', 'ping', 'message.send', 'message.read', 'typing.start', 'typing.stop', 'presence.subscribe', 'resume', 'registration.watch'];
const CLOSE_CODES = new Set<number>(Object.values(WS_CLOSE_CODES).map((c) => c.code));
const ANSWERS = new Set(['ack', 'error', 'pong', 'auth.ok']);
const EVENTS = new Set(['message.new', 'message.edited', 'message.deleted', 'receipt.updated', 'conversation.updated', 'typing', 'presence', 'registration.updated', 'auth.expiring']);

const objectId = fc.oneof(fc.constant(conversation), fc.constant(message.id), fc.stringMatching(/^[0-9a-f]{24}$/));
const value = fc.oneof(
  { arbitrary: objectId, weight: 3 },
  fc.uuid(),
  fc.constant(bob.id),
  fc.constant(bob.session.accessToken),
  fc.string({ maxLength: 40 }),
  hostileText(),
  fc.jsonValue({ maxDepth: 2 }),
);
const fields = ['conversationId', 'body', 'clientMessageId', 'upTo', 'userIds', 'cursors', 'accessToken', 'registrationId', 'requestId'];
/** Objects shaped like frames: a known (or unknown) type and the protocol's field names with odd values. */
const frameLike = fc.record(
  {
    type: fc.oneof({ arbitrary: fc.constantFrom(...TYPES), weight: 5 }, fc.string({ maxLength: 20 })),
    requestId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,10}$/), value),
    conversationId: objectId,
    body: fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), value),
    clientMessageId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/), value),
    upTo: objectId,
    userIds: fc.oneof(fc.array(fc.oneof(fc.uuid(), fc.constant(carol.id)), { maxLength: 4 }), value),
    cursors: fc.oneof(fc.array(fc.record({ conversationId: objectId, lastMessageId: fc.oneof(objectId, fc.constant(null)) }), { maxLength: 3 }), value),
    accessToken: value,
    registrationId: fc.oneof(fc.uuid(), value),
    extra: value,
  },
  { requiredKeys: ['type'] },
).chain((frame) => fc.subarray(fields).map((wrongTyped) => ({ ...frame, ...Object.fromEntries(wrongTyped.map((f) => [f, 42])) })));

const requestId = fc.stringMatching(/^[A-Za-z0-9]{1,10}$/);
const text = fc.string({ minLength: 1, maxLength: 60 }).filter((b) => /\S/.test(b));
const uuids = fc.array(fc.oneof(fc.uuid(), fc.constant(carol.id), fc.constant(bob.id)), { maxLength: 4 });
/** Frames that pass validation, so the property reaches the services (membership, ids that do not exist). */
const validFrame = fc.oneof(
  fc.record({ type: fc.constant('ping'), requestId }),
  fc.record({ type: fc.constant('auth'), requestId, accessToken: fc.oneof(fc.constant(bob.session.accessToken), fc.string({ minLength: 1, maxLength: 50 })) }),
  fc.record({ type: fc.constant('message.send'), requestId, conversationId: objectId, body: text, clientMessageId: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/) }),
  fc.record({ type: fc.constant('message.read'), requestId, conversationId: objectId, upTo: objectId }),
  fc.record({ type: fc.constantFrom('typing.start', 'typing.stop'), requestId, conversationId: objectId }),
  fc.record({ type: fc.constant('presence.subscribe'), requestId, userIds: uuids }),
  fc.record({ type: fc.constant('resume'), requestId, cursors: fc.array(fc.record({ conversationId: objectId, lastMessageId: fc.oneof(objectId, fc.constant(null)) }), { maxLength: 3 }) }),
  fc.record({ type: fc.constant('registration.watch'), requestId, registrationId: fc.uuid() }),
);

/** `textBytes`: bytes sent as a text frame, mostly not UTF-8 (ws closes with 1007 before the gateway sees them). */
type Raw = string | Uint8Array | { textBytes: Uint8Array };
const raw: fc.Arbitrary<Raw> = fc.oneof(
  { arbitrary: validFrame.map((f) => JSON.stringify(f)), weight: 8 },
  { arbitrary: frameLike.map((f) => JSON.stringify(f)), weight: 6 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 },
  fc.string({ maxLength: 100 }),
  fc.uint8Array({ maxLength: 64 }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((textBytes) => ({ textBytes })),
  fc.integer({ min: MAX_FRAME + 1, max: MAX_FRAME * 2 }).map((n) => JSON.stringify({ type: 'ping', pad: 'x'.repeat(n) })),
);

let client: TestWsClient | undefined;
const bystander = await authedWs(t, url, carol.session.accessToken);
let probes = 0;
let closes = 0;
/** Answers by type/code, to see in the output that the frames reach the services, not only validation. */
const seen = new Map<string, number>();

t.test('every frame is answered or closes with a documented code', async (t) => {
  await fc.assert(
    fc.asyncProperty(raw, async (data) => {
      if (!client || client.ws.readyState !== client.ws.OPEN) client = await authedWs(t, url, ada.session.accessToken);
      const c = client;
      const start = c.frames.length;
      if (data instanceof Uint8Array || typeof data === 'string') c.ws.send(data);
      else c.ws.send(data.textBytes, { binary: false });
      const probe = `probe-${(probes += 1)}`;
      c.send({ type: 'ping', requestId: probe });
      // The probe's pong, or (when the frame closed the connection) the close.
      const answered = await c.nextOf('pong', probe).then(
        () => true,
        () => false,
      );
      const outcome = answered ? ('answered' as const) : await c.closeCode();
      if (outcome !== 'answered') {
        closes += 1;
        if (!CLOSE_CODES.has(outcome.code)) throw new Error(`undocumented close code ${outcome.code} (${outcome.reason})`);
        return;
      }
      const answers = c.frames.slice(start).filter((f: Frame) => !(f.type === 'pong' && f.requestId === probe));
      for (const f of answers) {
        const key = f.type === 'error' ? `error:${String(f.code)}` : f.type;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (!ANSWERS.has(f.type) && !EVENTS.has(f.type)) throw new Error(`unexpected frame ${JSON.stringify(f).slice(0, 200)}`);
        if (f.type === 'error' && (!ERROR_CODES.includes(f.code as never) || f.code === 'INTERNAL_ERROR')) throw new Error(`bad error ${JSON.stringify(f)}`);
      }
      if (!answers.some((f) => ANSWERS.has(f.type))) throw new Error(`frame not answered: ${String(data).slice(0, 200)}`);
    }),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} frames, ${closes} of them closed the connection; answers: ${JSON.stringify(Object.fromEntries(seen))}`);
  t.ok(seen.get('ack'), 'some frames were carried out');
  bystander.send({ type: 'ping', requestId: 'bystander' });
  await bystander.nextOf('pong', 'bystander');
  t.pass('other clients are still served');
});

/*
 * Property: every text field of the client frames follows the text rule as over REST (TypeBox
 * validates frames: lengths in UTF-16 code units, patterns without the `u` flag). The answer to the
 * frame, as a status (ack 200, error: its code's), is what the rule predicts; accepted text is kept.
 */
let textFrames = 0;
const textFields: Array<{ name: string; schema: object; frame: (v: string) => Record<string, unknown>; echo?: (result: unknown) => unknown }> = [
  {
    name: 'message.send body',
    schema: WsMessageSendFrame.properties.body,
    frame: (v) => ({ type: 'message.send', conversationId: conversation, body: v, clientMessageId: `ws-text-${textFrames}` }),
    echo: (result) => (result as { message: { body: string } }).message.body,
  },
  { name: 'message.send clientMessageId', schema: WsMessageSendFrame.properties.clientMessageId, frame: (v) => ({ type: 'message.send', conversationId: conversation, body: 'hi', clientMessageId: v }) },
  { name: 'auth accessToken', schema: WsAuthFrame.properties.accessToken, frame: (v) => ({ type: 'auth', accessToken: v }) },
];

for (const field of textFields) {
  t.test(`${field.name}: the text rule decides, the connection goes on`, async (t) => {
    const ws = await authedWs(t, url, ada.session.accessToken);
    const answers = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileText({ maxLength: 10 }), async (value) => {
        const requestId = `text-${(textFrames += 1)}`;
        ws.send({ ...field.frame(value), requestId });
        const answer = await ws.next((f) => f.requestId === requestId && ANSWERS.has(f.type));
        const code = answer.type === 'error' ? answer.code : undefined;
        const status = code === undefined ? 200 : (ERROR_CATALOGUE[code as ErrorCode]?.status ?? 0);
        answers.set(`${answer.type} ${String(code ?? '')}`.trim(), (answers.get(`${answer.type} ${String(code ?? '')}`.trim()) ?? 0) + 1);
        const problem = textAnswerProblem(expectedTextOutcome(field.schema, value, false), status, code);
        if (problem !== undefined) throw new Error(`${field.name} = ${JSON.stringify(value)}: ${problem}`);
        if (field.echo && answer.type === 'ack' && field.echo(answer.result) !== value) throw new Error(`${field.name} = ${JSON.stringify(value)} was not kept as sent`);
      }),
      { numRuns: 100 },
    );
    t.pass(JSON.stringify(Object.fromEntries(answers)));
    t.equal(ws.ws.readyState, ws.ws.OPEN, 'still connected');
  });
}
