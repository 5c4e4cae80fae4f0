import t from 'tap';
import type { TranslationResult } from '@ashchat/contracts';
import type { StoredTranslation } from '../chat/message.repository.js';
import { newResults, storedTranslationOf } from './translation.replies.js';
import { requestIdOf, targetsToRequest } from './translation.requests.js';

const stored: Record<string, StoredTranslation> = {
  es: { status: 'translated', version: 2, text: 'hola', via: [], reason: null },
  fr: { status: 'pending', version: 2 },
  de: { status: 'untranslated', version: 1, text: null, via: [], reason: 'no-path' },
};

t.test('a request asks for the languages without a final translation of this text', async (t) => {
  t.same(targetsToRequest({ textVersion: 2, translations: stored }, ['es', 'fr', 'de', 'it']), ['fr', 'de', 'it']);
  t.same(targetsToRequest({}, ['es']), ['es'], 'a fresh message: all');
  t.equal(requestIdOf('665f1c9eb3d4e5f6a7b8c9e1', 3), '665f1c9eb3d4e5f6a7b8c9e1:3');
});

t.test('a reply brings only what is not final yet; a repeat brings nothing', async (t) => {
  const results: TranslationResult[] = [
    { target: 'es', status: 'translated', text: 'otra', via: [] },
    { target: 'fr', status: 'translated', text: 'salut', via: ['es'] },
    { target: 'fr', status: 'translated', text: 'twice', via: ['es'] },
    { target: 'de', status: 'untranslated', reason: 'no-path' },
  ];
  const reply = { version: 2, results };
  t.same(newResults({ translations: stored }, reply).map((r) => r.target), ['fr', 'de']);
  const after = { ...stored, fr: storedTranslationOf(results[1]!, 2), de: storedTranslationOf(results[3]!, 2) };
  t.same(newResults({ translations: after }, reply), [], 'repeated: nothing new');
  t.same(after.de, { status: 'untranslated', text: null, via: [], reason: 'no-path', version: 2 });
});
