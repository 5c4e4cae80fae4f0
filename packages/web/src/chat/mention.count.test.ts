import t from 'tap';
import type { ConversationView, MessageView } from '@ashchat/contracts';
import { applyMessageToConversation, mergeConversations } from './chat.model.js';
import { messageView } from './message.fixture.test-support.js';

const ME = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const msg = (n: number, over: Partial<MessageView> = {}): MessageView => messageView(n, { senderId: BOB, clientMessageId: `m${n}`, ...over });
const conv = (over: Partial<ConversationView> = {}): ConversationView =>
  ({
    id: 'c'.repeat(24),
    type: 'group',
    name: 'g',
    ownerId: ME,
    members: [ME, BOB],
    createdAt: '2026-01-01T00:00:00.000Z',
    lastActivityAt: '2026-01-01T00:00:00.000Z',
    lastMessage: null,
    unreadCount: 0,
    unreadMentionCount: 0,
    ...over,
  }) as ConversationView;

t.test('a new message of another that mentions me counts as an unread mention', async (t) => {
  const opts = { me: ME, isNew: true, visible: false };
  const c1 = applyMessageToConversation(conv(), msg(1, { mentions: [ME] }), opts);
  t.match(c1, { unreadCount: 1, unreadMentionCount: 1 });
  const c2 = applyMessageToConversation(c1, msg(2, { mentions: [BOB] }), opts);
  t.match(c2, { unreadCount: 2, unreadMentionCount: 1 }, 'a mention of someone else is no mention of me');
  const c3 = applyMessageToConversation(c2, msg(3, { mentions: [ME] }), { ...opts, visible: true });
  t.match(c3, { unreadCount: 2, unreadMentionCount: 1 }, 'not while the conversation is on screen');
  const c4 = applyMessageToConversation(c3, msg(4, { senderId: ME, mentions: [ME] }), opts);
  t.match(c4, { unreadMentionCount: 1 }, 'not my own message');
});

t.test('a server view older than ours keeps our mention count with our last message', async (t) => {
  const ours = conv({ lastMessage: msg(5), unreadCount: 2, unreadMentionCount: 1 });
  const [merged] = mergeConversations([ours], [conv({ lastMessage: msg(4), unreadCount: 1, unreadMentionCount: 0 })]);
  t.match(merged, { unreadCount: 2, unreadMentionCount: 1 });
});
