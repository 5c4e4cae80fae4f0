import t from 'tap';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';
import { authedWs, listeningApp, type Frame } from '../realtime/ws.test-support.js';

const reactionOn = (messageId: string, added: boolean) => (f: Frame) => f.type === 'reaction.updated' && f.messageId === messageId && f.added === added;

t.test('reaction.updated reaches every device of every member, with the actor and the count', async (t) => {
  const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '0' } });
  const [ada, bob, carol] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
  const conversationId = await directConversation(ada, bob);
  const carolsOwn = await directConversation(carol, ada);
  const [adaPhone, adaLaptop, bobWs, carolWs] = await Promise.all([
    authedWs(t, url, ada.session.accessToken),
    authedWs(t, url, ada.session.accessToken),
    authedWs(t, url, bob.session.accessToken),
    authedWs(t, url, carol.session.accessToken),
  ]);
  const message = await sendMessage(ada, conversationId, 'react live', 'live-1');
  const reactions = `/v1/conversations/${conversationId}/messages/${message.id}/reactions/${encodeURIComponent('🎉')}`;

  t.equal((await ada.call('PUT', reactions)).statusCode, 200);
  for (const client of [bobWs, adaPhone, adaLaptop]) {
    const event = await client.next(reactionOn(message.id, true), 5_000);
    t.same(event, { type: 'reaction.updated', conversationId, messageId: message.id, emoji: '🎉', userId: ada.id, added: true, count: 1 });
  }
  t.equal((await bob.call('PUT', reactions)).statusCode, 200);
  t.match(await adaPhone.next((f) => f.type === 'reaction.updated' && f.userId === bob.id && f.added === true, 5_000), { count: 2 });
  t.equal((await ada.call('PUT', reactions)).statusCode, 200, 'a repeat: no event (checked below by what comes next)');
  t.equal((await bob.call('DELETE', reactions)).statusCode, 204);
  const removed = await adaLaptop.next((f) => f.type === 'reaction.updated' && f.messageId === message.id && !(f.userId === bob.id && f.added === true), 5_000);
  t.same(removed, { type: 'reaction.updated', conversationId, messageId: message.id, emoji: '🎉', userId: bob.id, added: false, count: 1 }, 'the repeat sent nothing before it');

  // Carol is no member: the next event she gets is one of her own conversation, none of theirs.
  await sendMessage(ada, carolsOwn, 'for carol', 'carol-1');
  await carolWs.next((f) => f.type === 'message.new', 5_000);
  t.notOk(carolWs.frames.some((f) => f.type === 'reaction.updated'), 'nothing about a conversation she is not in');
});
