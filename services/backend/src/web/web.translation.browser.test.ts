/**
 * Machine translation in two browsers, with the real translator and Apertium: Ada (English) writes,
 * Bob (Spanish) reads it in Spanish with "Show original" to switch; Ada sees her own words untouched.
 * Then Bob turns "Translate messages into my language" off in Settings and reads messages as written.
 * Bob's whole UI is Spanish, so his steps go by the Spanish catalogue's names.
 * Carl (German, no engine pair) reads the original with why, in German.
 */
import t from 'tap';
import type { MessagePage } from '@ashchat/contracts';
import { catalogue } from '@ashchat/web/catalogue';
import type { Page } from 'playwright-core';
import { directConversation } from '../chat/chat.test-support.js';
import { screenshots, startWebHarness } from './web.browser.test-support.js';
import { messageRows, sendMessage, signedInPerson } from './web.flows.test-support.js';

t.setTimeout(180_000);

const GREETING = 'Good morning, see you at the station tomorrow';
const LATER = 'The train leaves at nine';

const es = catalogue.es;
/** Bob's history and its rows by their Spanish names (historyOf and messageRows go by the English ones). */
const historyEs = (page: Page) => page.getByRole('log', { name: es['chat.history.label'] });
const rowsEs = (page: Page, text: string) => historyEs(page).getByRole('article').filter({ has: page.getByText(text, { exact: true }) });
const TOGGLE_ES = new RegExp(`${es['chat.translation.showOriginal']}|${es['chat.translation.showTranslation']}`);

t.test('Bob reads Ada’s English message in Spanish and can show the original; Ada sees hers as written', async (t) => {
  const h = await startWebHarness(t, { translator: true });
  const shots = await screenshots(t, process.env.ASHCHAT_WRITE_SCREENSHOTS === '1');
  const { person: ada, account: adaAccount } = await signedInPerson(h, 'Ada', 'web-translation', { preferredLanguage: 'en' });
  const { person: bob, account: bobAccount } = await signedInPerson(h, 'Bob', 'web-translation', { preferredLanguage: 'es' });
  const conversationId = await directConversation(adaAccount, bobAccount);
  // Going to the conversation may abort the list's first load still in flight (as a reload does).
  for (const person of [ada, bob]) await person.problems.tolerate(() => person.page.goto(`/c/${conversationId}`));
  await historyEs(bob.page).waitFor();
  t.equal(await bob.page.locator('html').getAttribute('lang'), 'es', 'Bob’s UI is in his language');

  await sendMessage(ada.page, GREETING);

  // Bob: the translation arrives live (message.new, then message.translated) and is shown by default.
  const bobsRow = historyEs(bob.page).getByRole('article').filter({ hasText: 'Buenos días' });
  await bobsRow.waitFor();
  const toggle = bobsRow.getByRole('button', { name: es['chat.translation.showOriginal'], exact: true });
  t.equal(await toggle.getAttribute('aria-pressed'), 'false', 'the toggle says the translation is shown');
  t.match(await bobsRow.innerText(), es['chat.translation.translatedFrom'].replace('{language}', 'inglés'), 'says what it was translated from');
  t.notMatch(await bobsRow.innerText(), /see you at the station/, 'the original is not shown');
  await shots.take(bob.page, 'translation');

  await toggle.click();
  const back = rowsEs(bob.page, GREETING).getByRole('button', { name: es['chat.translation.showTranslation'], exact: true });
  await back.waitFor();
  t.equal(await back.getAttribute('aria-pressed'), 'true', 'pressed: the original is shown');
  t.notMatch(await rowsEs(bob.page, GREETING).innerText(), /Buenos días/, 'the translation is not shown');
  // With the keyboard, back to the translation.
  await back.focus();
  await bob.page.keyboard.press('Enter');
  await bobsRow.getByRole('button', { name: es['chat.translation.showOriginal'], exact: true }).waitFor();
  t.pass('the keyboard switches back to the translation');

  // Ada: her own message, as written, without a toggle.
  const adasRow = messageRows(ada.page, GREETING);
  t.equal(await adasRow.getByRole('button', { name: /Show (original|translation)/ }).count(), 0, 'no toggle on her own message');
  t.notMatch(await adasRow.innerText(), /Buenos días|Translat/, 'no translation on her own message');

  // The conversation list beside the history previews the last message as each reads it.
  const bobsEntry = bob.page.getByRole('link').filter({ hasText: 'Buenos días' });
  await bobsEntry.waitFor();
  t.notMatch(await bobsEntry.innerText(), /see you at the station/, 'Bob’s list previews it in Spanish');
  t.match(await ada.page.getByRole('link').filter({ hasText: GREETING }).innerText(), /see you at the station/, 'Ada’s list as written');

  // Bob turns translation off (next to the language setting) and reads as written from then on.
  await bob.page.getByRole('navigation', { name: es['app.nav.main'] }).getByRole('link', { name: es['app.nav.settings'] }).click();
  const setting = bob.page.getByLabel(es['settings.profile.autoTranslate'], { exact: true });
  t.equal(await setting.isChecked(), true, 'on by default');
  await setting.uncheck();
  await bob.page.getByRole('button', { name: es['settings.profile.save'] }).click();
  await bob.page.getByText(es['settings.profile.saved'], { exact: true }).waitFor();
  const me = await bobAccount.call('GET', '/v1/me');
  t.equal(me.json<{ autoTranslate: boolean }>().autoTranslate, false, 'the account says so');

  await bob.page.goBack();
  await rowsEs(bob.page, GREETING).waitFor();
  t.equal(await historyEs(bob.page).getByRole('button', { name: TOGGLE_ES }).count(), 0, 'the earlier message shows as written');

  await sendMessage(ada.page, LATER);
  await rowsEs(bob.page, LATER).waitFor();
  // The server agrees: Bob's view of the new message carries no translation (none is made for him).
  const history = (await bobAccount.call('GET', `/v1/conversations/${conversationId}/messages?limit=5`)).json<MessagePage>();
  t.equal(history.items.find((m) => m.body === LATER)?.translation, null, 'no translation in his history');
  t.equal(await rowsEs(bob.page, LATER).getByRole('button').filter({ hasText: TOGGLE_ES }).count(), 0, 'the new message shows as written');
  t.notMatch(await historyEs(bob.page).innerText(), new RegExp(`Buenos días|${es['chat.translation.pending']}`), 'nothing translated any more');

  for (const p of [ada, bob]) t.same(p.problems.unexpected, [], `${p.label}: no console errors, failed requests or error responses`);
});

t.test('no engine pair to German: Carl reads the original with why, in his own language', async (t) => {
  const h = await startWebHarness(t, { translator: true });
  const { person: ada, account: adaAccount } = await signedInPerson(h, 'Ada', 'web-translation-de', { preferredLanguage: 'en' });
  // Signed in in English (the sign-in steps go by English names), then German: the page loaded next is German.
  const { person: carl, account: carlAccount } = await signedInPerson(h, 'Carl', 'web-translation-de');
  t.equal((await carlAccount.call('PATCH', '/v1/me', { preferredLanguage: 'de' })).statusCode, 200);
  const conversationId = await directConversation(adaAccount, carlAccount);
  for (const person of [ada, carl]) await person.problems.tolerate(() => person.page.goto(`/c/${conversationId}`));
  const carlsHistory = carl.page.getByRole('log', { name: 'Nachrichten' });
  await carlsHistory.waitFor();

  await sendMessage(ada.page, GREETING);
  const row = carlsHistory.getByRole('article').filter({ has: carl.page.getByText(GREETING, { exact: true }) });
  await row.getByText('Keine Übersetzung von Englisch nach Deutsch verfügbar', { exact: true }).waitFor();
  t.equal(await row.getByRole('button', { name: /anzeigen$/ }).count(), 0, 'the original, no toggle');
  t.notMatch(await row.innerText(), /Wird übersetzt/, 'no longer "translating"');

  for (const p of [ada, carl]) t.same(p.problems.unexpected, [], `${p.label}: no console errors, failed requests or error responses`);
});
