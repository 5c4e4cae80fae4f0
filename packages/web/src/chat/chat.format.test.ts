import t from 'tap';
import type { ConversationView } from '@ashchat/contracts';
import { userLanguage } from '../i18n/i18n.js';
import { codeText, conversationTitle, nameOf, typingText } from './chat.format.js';

userLanguage.value = 'en';
const ADA = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';
const BOB = '9a1d4e7c-2b3f-4a5e-8c6d-1e2f3a4b5c6d';
const conversation = (o: Partial<ConversationView>): ConversationView => ({
  id: '665f1c2ab3d4e5f6a7b8c9d0',
  type: 'direct',
  name: null,
  ownerId: null,
  members: [ADA, BOB],
  createdAt: '2026-01-01T12:00:00.000Z',
  lastActivityAt: '2026-01-01T12:00:00.000Z',
  lastMessage: null,
  unreadCount: 0,
  unreadMentionCount: 0,
  muted: false,
  mutedUntil: null,
  ...o,
});

t.test('a direct conversation is titled by the other member, a group by its name', async (t) => {
  t.equal(conversationTitle(conversation({}), { [BOB]: 'Bob', [ADA]: 'Ada' }, ADA), 'Bob');
  t.equal(conversationTitle(conversation({}), { [BOB]: 'Bob', [ADA]: 'Ada' }, BOB), 'Ada');
  t.equal(conversationTitle(conversation({ type: 'group', name: 'Engine room', ownerId: ADA }), {}, ADA), 'Engine room');
  t.equal(conversationTitle(conversation({ members: [ADA] }), {}, ADA), 'Just you', 'the other member deleted their account');
});

t.test('a user no search has named yet is shown by the start of their id', async (t) => {
  t.equal(nameOf(BOB, {}), 'User 9a1d4e');
  t.equal(nameOf(BOB, { [BOB]: 'Bob' }), 'Bob');
});

t.test('the typing line names one or two people, counts more', async (t) => {
  t.equal(typingText([]), '');
  t.equal(typingText(['Bob']), 'Bob is typing…');
  t.equal(typingText(['Bob', 'Carol']), 'Bob and Carol are typing…');
  t.equal(typingText(['Bob', 'Carol', 'Dan']), '3 people are typing…');
  userLanguage.value = 'de';
  t.equal(typingText(['Bob']), 'Bob schreibt…');
  userLanguage.value = 'en';
});

t.test('error codes of the chat have their own text; unknown ones the generic one', async (t) => {
  t.match(codeText('OWNER_CANNOT_LEAVE'), /owner/);
  t.equal(codeText('SOMETHING_NEW'), codeText('INTERNAL_ERROR'));
});
