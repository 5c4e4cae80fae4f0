import t from 'tap';
import type { MessageTranslation, MessageView } from '@ashchat/contracts';
import { mergeMessages, type ChatMessage } from './chat.model.js';
import { applyTranslation, keepTranslation, shownBody, translationDisplay } from './translation.model.js';
import { messageId as id, messageView } from './message.fixture.test-support.js';

const translated = (text: string, language = 'es'): MessageTranslation => ({ language, status: 'translated', text, via: [], reason: null });
const pending: MessageTranslation = { language: 'es', status: 'pending', text: null, via: [], reason: null };

const msg = (n: number, over: Partial<MessageView> = {}): MessageView =>
  messageView(n, { body: 'Good morning', createdAt: '2026-01-01T00:00:00.000Z', language: 'en', ...over });
const sent = (m: MessageView): ChatMessage => ({ ...m, state: 'sent' });

t.test('keepTranslation: of the same text the more settled translation stays', async (t) => {
  const done = msg(1, { translation: translated('Buenos días') });
  t.same(keepTranslation(done, msg(1)).translation, done.translation, 'a live message.new (null) does not take it back');
  t.same(keepTranslation(done, msg(1, { translation: pending })).translation, done.translation, 'nor a page asked for before it arrived');
  t.same(keepTranslation(msg(1, { translation: pending }), done).translation, done.translation, 'a result replaces pending');
  t.same(keepTranslation(done, msg(1, { translation: translated('Hola') })).translation, translated('Hola'), 'a newer result replaces an older one');
  const french = translated('Bonjour', 'fr');
  t.same(keepTranslation(done, msg(1, { translation: french })).translation, french, 'another language (the reader changed theirs) replaces it');
});

t.test('keepTranslation: a new text or a deletion drops the old translation (its text is stale)', async (t) => {
  const done = msg(1, { translation: translated('Buenos días') });
  t.equal(keepTranslation(done, msg(1, { body: 'Good evening', editedAt: '2026-01-01T00:01:00.000Z' })).translation, null);
  t.equal(keepTranslation(done, msg(1, { body: null, deletedAt: '2026-01-01T00:01:00.000Z' })).translation, null);
});

t.test('mergeMessages keeps a translation against a replay of the same message and drops it on an edit', async (t) => {
  const list = mergeMessages([], [msg(1, { translation: translated('Buenos días') })]);
  t.equal(mergeMessages(list, [msg(1)])[0]!.translation?.text, 'Buenos días');
  const edited = mergeMessages(list, [msg(1, { body: 'Good evening', editedAt: '2026-01-01T00:01:00.000Z' })]);
  t.equal(edited[0]!.translation, null);
  t.equal(edited[0]!.body, 'Good evening');
});

t.test('applyTranslation: replaces the translation of that stored message only', async (t) => {
  const list = [sent(msg(1, { translation: pending })), sent(msg(2))];
  const next = applyTranslation(list, id(1), translated('Buenos días'));
  t.same(next[0]!.translation, translated('Buenos días'));
  t.equal(next[1], list[1], 'others untouched');
  t.equal(applyTranslation(list, id(9), translated('x')), list, 'an unknown message changes nothing');
  const deleted = [sent(msg(1, { body: null, deletedAt: '2026-01-01T00:01:00.000Z' }))];
  t.equal(applyTranslation(deleted, id(1), translated('x')), deleted, 'a deleted message gets no translation');
});

t.test('translationDisplay: the translation by default, the original on request; own messages and auto-translate off as written', async (t) => {
  const m = msg(1, { translation: translated('Buenos días') });
  const base = { mine: false, autoTranslate: true, showOriginal: false };
  const d = translationDisplay(m, base);
  t.same(d, { kind: 'translated', text: 'Buenos días', from: 'en', showingOriginal: false });
  t.equal(shownBody(m, d), 'Buenos días');
  const original = translationDisplay(m, { ...base, showOriginal: true });
  t.equal(shownBody(m, original), 'Good morning');
  t.same(translationDisplay(m, { ...base, mine: true }), { kind: 'none' });
  t.same(translationDisplay(m, { ...base, autoTranslate: false }), { kind: 'none' });
  t.equal(shownBody(m, translationDisplay(m, { ...base, autoTranslate: false })), 'Good morning');
  t.same(translationDisplay(msg(1), base), { kind: 'none' });
});

t.test('translationDisplay: pending and untranslated show the original with a note', async (t) => {
  const base = { mine: false, autoTranslate: true, showOriginal: false };
  t.same(translationDisplay(msg(1, { translation: pending }), base), { kind: 'pending' });
  const none: MessageTranslation = { language: 'de', status: 'untranslated', text: null, via: [], reason: 'no-path' };
  const d = translationDisplay(msg(1, { translation: none }), base);
  t.same(d, { kind: 'untranslated', reason: 'no-path', from: 'en', to: 'de' });
  t.equal(shownBody(msg(1), d), 'Good morning');
});
