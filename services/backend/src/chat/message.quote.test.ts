import t from 'tap';
import { ObjectId } from 'mongodb';
import { excerptOf, quoteOf, toQuote } from './message.quote.js';
import type { MessageDocument } from './message.repository.js';

const doc = (over: Partial<MessageDocument>): MessageDocument => ({
  _id: new ObjectId(),
  conversationId: new ObjectId(),
  senderId: 'ada',
  clientMessageId: 'c',
  body: 'Hello',
  createdAt: new Date(),
  editedAt: null,
  deletedAt: null,
  ...over,
});

t.test('excerptOf keeps whole graphemes', async (t) => {
  t.equal(excerptOf('short'), 'short');
  t.equal(excerptOf('abcdef', 3), 'abc');
  t.equal(excerptOf('e\u0301e\u0301e\u0301', 2), 'e\u0301e\u0301', 'an accent stays with its letter');
  t.equal(excerptOf('🇩🇪🇩🇪🇩🇪', 1), '🇩🇪', 'a flag is one grapheme');
  t.equal(excerptOf(''), '');
});

t.test('quoteOf and toQuote', async (t) => {
  const original = doc({ body: 'Hi there' });
  const stored = quoteOf(original);
  t.same(stored, { id: original._id, senderId: 'ada', excerpt: 'Hi there', deleted: false });
  t.same(quoteOf(doc({ body: null, deletedAt: new Date() })).excerpt, null, 'a deleted original quotes no text');
  const id = original._id.toHexString();
  t.same(toQuote(stored), { id, senderId: 'ada', excerpt: 'Hi there', deleted: false }, 'not looked up: as stored');
  t.same(toQuote(stored, new Map([[id, { senderId: 'ada', deleted: false }]])), { id, senderId: 'ada', excerpt: 'Hi there', deleted: false });
  t.same(toQuote(stored, new Map([[id, { senderId: 'gone', deleted: true }]])), { id, senderId: 'gone', excerpt: null, deleted: true }, 'deleted since');
  t.same(toQuote(stored, new Map()), { id, senderId: 'ada', excerpt: null, deleted: true }, 'looked up and missing: gone');
  t.equal(toQuote(null), null);
  t.equal(toQuote(undefined), null);
});
