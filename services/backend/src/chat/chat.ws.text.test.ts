import t from 'tap';
import { WS_CLOSE_CODES } from '@ashchat/contracts';
import { directConversation, signedInUser } from './chat.test-support.js';
import { RICH_TEXT } from '../text.test-support.js';
import { authedWs, listeningApp, type Frame } from '../realtime/ws.test-support.js';

/*
 * The text rule over WebSocket, as over REST: a frame with forbidden characters is answered with an
 * INVALID_TEXT error frame naming the field and the connection goes on (before, a NUL body reached
 * FerretDB and came back as INTERNAL_ERROR); bytes that are not UTF-8 never become text (ws closes
 * with 1007), and a binary frame is never read as a frame.
 */
const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '0' } });
const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);
const conversationId = await directConversation(ada, bob);
const isNewWith = (clientMessageId: string) => (f: Frame) => f.type === 'message.new' && (f.message as { clientMessageId: string }).clientMessageId === clientMessageId;

t.test('forbidden characters in a frame: an INVALID_TEXT error frame, and the connection stays usable', async (t) => {
  const ws = await authedWs(t, url, ada.session.accessToken);
  ws.send({ type: 'message.send', requestId: 'nul', conversationId, body: 'x\u0000y', clientMessageId: 'ws-nul' });
  t.match(await ws.nextOf('error', 'nul'), { code: 'INVALID_TEXT', details: [{ in: 'frame', path: '/body' }] });

  // A lone surrogate, escaped in the JSON text exactly like this.
  ws.send(`{"type":"message.send","requestId":"lone","conversationId":"${conversationId}","body":"half \\ud800","clientMessageId":"ws-lone"}`);
  t.match(await ws.nextOf('error', 'lone'), { code: 'INVALID_TEXT', details: [{ path: '/body' }] });

  ws.send({ type: 'auth', requestId: 'token', accessToken: `${ada.session.accessToken}\u0000` });
  t.match(await ws.nextOf('error', 'token'), { code: 'INVALID_TEXT', details: [{ path: '/accessToken' }] }, 'also in a renewing auth frame');

  ws.send({ type: 'message.send', requestId: 'blank', conversationId, body: '   ', clientMessageId: 'ws-blank' });
  t.match(await ws.nextOf('error', 'blank'), { code: 'VALIDATION_FAILED' }, 'other refusals stay VALIDATION_FAILED');

  ws.send({ type: 'ping', requestId: 'still-there' });
  await ws.nextOf('pong', 'still-there');
  const history = await ada.call('GET', `/v1/conversations/${conversationId}/messages`);
  t.same(history.json<{ items: unknown[] }>().items, [], 'nothing was stored');
});

t.test('emoji, ZWJ sequences, combining marks and Arabic go through unchanged', async (t) => {
  const [adaWs, bobWs] = await Promise.all([authedWs(t, url, ada.session.accessToken), authedWs(t, url, bob.session.accessToken)]);
  adaWs.send({ type: 'message.send', requestId: 'rich', conversationId, body: RICH_TEXT, clientMessageId: 'ws-rich' });
  const ack = await adaWs.nextOf('ack', 'rich');
  t.equal((ack.result as { message: { body: string } }).message.body, RICH_TEXT);
  const event = await bobWs.next(isNewWith('ws-rich'));
  t.equal((event.message as { body: string }).body, RICH_TEXT, 'the other member receives it as sent');
});

t.test('a text frame that is not UTF-8 closes the connection with 1007 and is never read', async (t) => {
  const [bad, bystander] = await Promise.all([authedWs(t, url, ada.session.accessToken), authedWs(t, url, bob.session.accessToken)]);
  const frame = Buffer.concat([
    Buffer.from(`{"type":"message.send","requestId":"bytes","conversationId":"${conversationId}","body":"a`),
    Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate: U+FFFD if it were decoded leniently
    Buffer.from('b","clientMessageId":"ws-bytes"}'),
  ]);
  bad.ws.send(frame, { binary: false });
  t.equal((await bad.closeCode()).code, WS_CLOSE_CODES.INVALID_UTF8.code);
  t.notOk(bad.frames.some((f) => f.requestId === 'bytes'), 'no answer: the frame was never parsed');
  bystander.send({ type: 'ping', requestId: 'bystander' });
  await bystander.nextOf('pong', 'bystander');
  const history = await ada.call('GET', `/v1/conversations/${conversationId}/messages`);
  t.notOk(history.body.includes('ws-bytes'), 'nothing was stored');
});

t.test('a binary frame is refused, even when its bytes are a valid frame', async (t) => {
  const ws = await authedWs(t, url, ada.session.accessToken);
  const frame = { type: 'message.send', requestId: 'binary', conversationId, body: 'x\u0000y', clientMessageId: 'ws-binary' };
  ws.ws.send(Buffer.from(JSON.stringify(frame)), { binary: true });
  t.match(await ws.nextOf('error'), { code: 'MALFORMED_JSON', details: { reason: 'frames are JSON text, not binary' } });
  ws.send({ type: 'ping', requestId: 'after-binary' });
  await ws.nextOf('pong', 'after-binary');
  const history = await ada.call('GET', `/v1/conversations/${conversationId}/messages`);
  t.notOk(history.body.includes('ws-binary'), 'nothing was stored');
});
