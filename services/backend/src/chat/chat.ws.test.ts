import t from 'tap';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';
import { authedWs, listeningApp, type Frame } from '../realtime/ws.test-support.js';

const isNew = (id: string) => (f: Frame) => f.type === 'message.new' && (f.message as { id: string }).id === id;
const NOT_A_CONVERSATION = '665f1c2ab3d4e5f6a7b8c9d0';

t.test('messages, receipts and typing over WebSocket', async (t) => {
  const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '0' } });
  const [ada, bob, carol] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
  const conversationId = await directConversation(ada, bob);
  const [adaPhone, adaLaptop, bobWs, carolWs] = await Promise.all([
    authedWs(t, url, ada.session.accessToken),
    authedWs(t, url, ada.session.accessToken),
    authedWs(t, url, bob.session.accessToken),
    authedWs(t, url, carol.session.accessToken),
  ]);

  t.test('message.send is acked with the stored message and reaches every device of every member', async (t) => {
    adaPhone.send({ type: 'message.send', requestId: 'm1', conversationId, body: 'Hello, Bob', clientMessageId: 'ws-1' });
    const ack = await adaPhone.nextOf('ack', 'm1');
    const { created, message } = ack.result as { created: boolean; message: { id: string; body: string; senderId: string } };
    t.equal(created, true);
    t.match(message, { body: 'Hello, Bob', senderId: ada.id });
    for (const client of [bobWs, adaLaptop, adaPhone]) {
      const event = await client.next(isNew(message.id));
      t.same(event.message, message, 'the event carries the stored message');
    }
    adaPhone.send({ type: 'message.send', requestId: 'm1-again', conversationId, body: 'Hello, Bob', clientMessageId: 'ws-1' });
    const retry = await adaPhone.nextOf('ack', 'm1-again');
    t.match(retry.result, { created: false, message: { id: message.id } }, 'a retry answers the stored message');
  });

  t.test('a message sent over REST is delivered to both connections of the recipient', async (t) => {
    const bobPhone = await authedWs(t, url, bob.session.accessToken);
    const sent = await sendMessage(ada, conversationId, 'over REST', 'rest-1');
    for (const client of [bobWs, bobPhone]) t.equal(((await client.next(isNew(sent.id))).message as { body: string }).body, 'over REST');
  });

  t.test('message.read is acked with the read state; the other member sees the receipt', async (t) => {
    const sent = await sendMessage(ada, conversationId, 'read me', 'rest-2');
    await bobWs.next(isNew(sent.id));
    bobWs.send({ type: 'message.read', requestId: 'r1', conversationId, upTo: sent.id });
    const ack = await bobWs.nextOf('ack', 'r1');
    t.same(ack.result, { conversationId, lastReadMessageId: sent.id, unreadCount: 0, unreadMentionCount: 0 });
    const receipt = await adaPhone.next((f) => f.type === 'receipt.updated' && f.lastReadMessageId === sent.id);
    t.match(receipt, { conversationId, userId: bob.id });
  });

  t.test('refusals come as error frames with the request id and the REST codes', async (t) => {
    adaPhone.send({ type: 'message.send', requestId: 'too-long', conversationId, body: 'x'.repeat(4001), clientMessageId: 'x' });
    const tooLong = await adaPhone.nextOf('error', 'too-long');
    t.equal(tooLong.code, 'VALIDATION_FAILED');
    t.match(tooLong.details, [{ path: '/body' }]);
    adaPhone.send({ type: 'message.read', requestId: 'no-msg', conversationId, upTo: NOT_A_CONVERSATION });
    t.equal((await adaPhone.nextOf('error', 'no-msg')).code, 'MESSAGE_NOT_FOUND');
  });

  t.test('frames about a conversation the user is not in: CONVERSATION_NOT_FOUND, nothing of it leaks', async (t) => {
    const frames = [
      { type: 'message.send', requestId: 'c1', conversationId, body: 'let me in', clientMessageId: 'intruder' },
      { type: 'message.read', requestId: 'c2', conversationId, upTo: NOT_A_CONVERSATION },
      { type: 'typing.start', requestId: 'c3', conversationId },
      { type: 'message.send', requestId: 'c4', conversationId: NOT_A_CONVERSATION, body: 'nobody', clientMessageId: 'ghost' },
    ];
    for (const frame of frames) carolWs.send(frame);
    for (const frame of frames) {
      const error = await carolWs.nextOf('error', frame.requestId);
      t.same(Object.keys(error).sort(), ['code', 'message', 'requestId', 'type'], 'no details');
      t.equal(error.code, 'CONVERSATION_NOT_FOUND', `${frame.requestId}: same answer as for no conversation at all`);
    }
    const sent = await sendMessage(ada, conversationId, 'private', 'rest-3');
    await bobWs.next(isNew(sent.id));
    carolWs.send({ type: 'ping', requestId: 'after' });
    await carolWs.nextOf('pong', 'after');
    t.notOk(
      carolWs.frames.some((f) => JSON.stringify(f).includes(conversationId)),
      'carol never received anything about the conversation',
    );
  });

  t.test('typing reaches the other members only, throttled per connection', async (t) => {
    adaPhone.send({ type: 'typing.start', requestId: 't1', conversationId });
    adaPhone.send({ type: 'typing.start', requestId: 't2', conversationId });
    adaPhone.send({ type: 'typing.stop', requestId: 't3', conversationId });
    for (const id of ['t1', 't2', 't3']) t.same((await adaPhone.nextOf('ack', id)).result, {}, `${id} acked`);
    const start = await bobWs.nextOf('typing');
    t.same(start, { type: 'typing', conversationId, userId: ada.id, state: 'start', expiresInMs: app.config.WS_TYPING_TTL_MS });
    const next = await bobWs.nextOf('typing');
    t.equal(next.state, 'stop', 'the repeated start within the window was not relayed');
    t.notOk(adaLaptop.frames.some((f) => f.type === 'typing'), "the typist's own devices are not told");
  });
});
