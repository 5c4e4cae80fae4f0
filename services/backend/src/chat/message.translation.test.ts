import t from 'tap';
import { ObjectId } from 'mongodb';
import type { MessageDocument } from './message.repository.js';
import { translationFor } from './message.translation.js';

const message = (over: Partial<MessageDocument> = {}): MessageDocument => ({
  _id: new ObjectId(),
  conversationId: new ObjectId(),
  senderId: 'ada',
  clientMessageId: 'c-1',
  body: 'Good morning',
  createdAt: new Date(),
  editedAt: null,
  deletedAt: null,
  language: 'en',
  textVersion: 1,
  translations: {
    es: { status: 'translated', version: 1, text: 'Buenos días', via: [], reason: null },
    fr: { status: 'pending', version: 1 },
    de: { status: 'untranslated', version: 1, text: null, via: [], reason: 'no-path' },
    it: { status: 'translated', version: 0, text: 'Buongiorno (old text)', via: ['es'], reason: null },
  },
  ...over,
});
const reader = (language: string | null, autoTranslate = true, userId = 'bob') => ({ userId, language, autoTranslate });

t.test('the reader’s language picks the stored translation of the current text', async (t) => {
  t.same(translationFor(message(), reader('es')), { language: 'es', status: 'translated', text: 'Buenos días', via: [], reason: null });
  t.same(translationFor(message(), reader('fr')), { language: 'fr', status: 'pending', text: null, via: [], reason: null });
  t.same(translationFor(message(), reader('de')), { language: 'de', status: 'untranslated', text: null, via: [], reason: 'no-path' });
  t.equal(translationFor(message(), reader('it')), null, 'of an earlier text: none');
  t.equal(translationFor(message(), reader('nl')), null, 'never asked: none');
});

t.test('none when it does not apply', async (t) => {
  t.equal(translationFor(message(), reader('en')), null, 'same language');
  t.equal(translationFor(message(), reader('es', false)), null, 'auto-translation off');
  t.equal(translationFor(message(), reader('es', true, 'ada')), null, 'the sender');
  t.equal(translationFor(message({ deletedAt: new Date(), body: null }), reader('es')), null, 'deleted');
  t.equal(translationFor(message({ body: '👍' }), reader('es')), null, 'nothing to translate');
  t.equal(translationFor(message({ language: undefined }), reader('es')), null, 'no language recorded');
  t.equal(translationFor(message(), null), null, 'no reader');
  t.equal(translationFor(message(), reader(null)), null, 'a reader without a language');
});
