import t from 'tap';
import type { DigestConversation } from '@ashchat/contracts';
import { renderDigestMail } from './digest-mail.template.js';

const conversation = (over: Partial<DigestConversation> = {}): DigestConversation => ({
  conversationId: '665f1c9eb3d4e5f6a7b8c9d0',
  name: 'Bob',
  unreadCount: 3,
  mentionCount: 1,
  excerpts: [{ sender: 'Bob', text: 'Are you coming tonight?', at: 1767225600000 }],
  ...over,
});
const base = { nickname: 'Ada', publicWebUrl: 'https://chat.example/', moreConversations: 0 };

t.test('English: counts, mentions, excerpts, the app and the opt-out link', async (t) => {
  const mail = renderDigestMail({ ...base, preferredLanguage: 'en', conversations: [conversation(), conversation({ name: 'Team', unreadCount: 1, mentionCount: 0, excerpts: [] })], moreConversations: 2 });
  t.equal(mail.language, 'en');
  t.equal(mail.subject, 'You have 4 unread messages on AshChat');
  t.match(mail.text, 'Hello Ada,');
  t.match(mail.text, 'Bob: 3 unread messages, 1 mention of you');
  t.match(mail.text, '  Bob: Are you coming tonight?');
  t.match(mail.text, /^Team: 1 unread message$/m);
  t.match(mail.text, '… and 2 more conversations.');
  t.match(mail.text, /^https:\/\/chat\.example\/$/m);
  t.match(mail.text, /^https:\/\/chat\.example\/settings$/m);
});

t.test('German, and unknown languages fall back to English', async (t) => {
  const de = renderDigestMail({ ...base, preferredLanguage: 'de-AT', conversations: [conversation({ unreadCount: 1, mentionCount: 1 })] });
  t.equal(de.subject, 'Du hast 1 ungelesene Nachricht in AshChat');
  t.match(de.text, 'Hallo Ada,');
  t.match(de.text, 'Bob: 1 ungelesene Nachricht, davon 1 Erwähnung von dir');
  t.match(de.text, 'Einstellungen');
  t.equal(renderDigestMail({ ...base, preferredLanguage: 'ja', conversations: [conversation()] }).language, 'en');
});

t.test('Spanish and French, also for regional tags: counts, mentions, more conversations', async (t) => {
  const conversations = [conversation(), conversation({ name: 'Equipo', unreadCount: 1, mentionCount: 0, excerpts: [] })];
  const es = renderDigestMail({ ...base, preferredLanguage: 'es-MX', conversations, moreConversations: 1 });
  t.equal(es.language, 'es');
  t.equal(es.subject, 'Tienes 4 mensajes sin leer en AshChat');
  t.match(es.text, /^Hola, Ada:$/m);
  t.match(es.text, 'Bob: 3 mensajes sin leer, 1 te menciona');
  t.match(es.text, /^Equipo: 1 mensaje sin leer$/m);
  t.match(es.text, '… y 1 conversación más.');
  t.match(es.text, 'ajustes');
  const fr = renderDigestMail({ ...base, preferredLanguage: 'fr-CA', conversations: [conversation({ mentionCount: 2 })], moreConversations: 3 });
  t.equal(fr.language, 'fr');
  t.equal(fr.subject, 'Vous avez 3 messages non lus sur AshChat');
  t.match(fr.text, /^Bonjour Ada,$/m);
  t.match(fr.text, 'Bob\u00a0: 3 messages non lus, dont 2 vous mentionnent');
  t.match(fr.text, '  Bob\u00a0: Are you coming tonight?');
  t.match(fr.text, '… et 3 autres discussions.');
  const one = renderDigestMail({ ...base, preferredLanguage: 'fr', conversations: [conversation({ unreadCount: 1, mentionCount: 1 })] });
  t.equal(one.subject, 'Vous avez 1 message non lu sur AshChat');
  t.match(one.text, 'Bob\u00a0: 1 message non lu, dont 1 vous mentionne');
});

t.test('names and excerpts are escaped in the HTML part and stay as written in the text part', async (t) => {
  const mail = renderDigestMail({ ...base, preferredLanguage: 'en', conversations: [conversation({ name: 'A&B "crew"', excerpts: [{ sender: 'Mallory', text: '<img src=x onerror=alert(1)>', at: 0 }] })] });
  t.notMatch(mail.html, /<img/);
  t.match(mail.html, '&lt;img src=x onerror=alert(1)&gt;');
  t.match(mail.html, 'A&amp;B &quot;crew&quot;');
  t.match(mail.text, 'Mallory: <img src=x onerror=alert(1)>');
});
