import t from 'tap';
import { directConversation, signedInUser } from '../chat/chat.test-support.js';
import { authedWs, listeningApp, type Frame } from '../realtime/ws.test-support.js';
import { testImage, upload } from './files.test-support.js';

// The WebSocket side of attachments: `attachmentIds` on the message.send frame, with the REST rules.
t.test('message.send carries attachments; the members receive them; refusals by code', async (t) => {
  const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '0' } });
  const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);
  const conversationId = await directConversation(ada, bob);
  const [adaWs, bobWs] = await Promise.all([authedWs(t, url, ada.session.accessToken), authedWs(t, url, bob.session.accessToken)]);
  const view = (await upload(app, ada, `/v1/conversations/${conversationId}/attachments`, 'p.png', 'image/png', await testImage('png', 64, 48))).json();

  adaWs.send({ type: 'message.send', requestId: 's1', conversationId, clientMessageId: 'ws-file', attachmentIds: [view.id] });
  const ack = await adaWs.nextOf('ack', 's1');
  const { message } = ack.result as { message: { id: string; body: string; attachments: unknown[] } };
  t.equal(message.body, '', 'files alone');
  t.same(message.attachments, [view]);
  const event = await bobWs.next((f: Frame) => f.type === 'message.new' && (f.message as { id: string }).id === message.id);
  t.same((event.message as { attachments: unknown[] }).attachments, [view], 'Bob receives the attachment live');
  t.equal((await bob.call('GET', `/v1/conversations/${conversationId}/attachments/${view.id}`)).statusCode, 200);

  adaWs.send({ type: 'message.send', requestId: 's2', conversationId, clientMessageId: 'ws-again', attachmentIds: [view.id] });
  const reused = await adaWs.nextOf('error', 's2');
  t.equal(reused.code, 'ATTACHMENT_UNAVAILABLE', 'an attachment goes with one message only');
  adaWs.send({ type: 'message.send', requestId: 's3', conversationId, clientMessageId: 'ws-empty' });
  t.equal((await adaWs.nextOf('error', 's3')).code, 'VALIDATION_FAILED', 'neither text nor files');
  adaWs.send({ type: 'message.send', requestId: 's4', conversationId, clientMessageId: 'ws-bad', attachmentIds: ['nope'] });
  t.equal((await adaWs.nextOf('error', 's4')).code, 'VALIDATION_FAILED');
});
