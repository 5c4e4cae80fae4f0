/**
 * Two people chatting in two browser contexts, as they would: both sign up through the screens with
 * the code from the mail (Ada through the mail's link), Ada finds Grace by nickname and opens a
 * direct chat, messages arrive on the other side without a reload, typing shows, and "Seen" follows
 * the read receipts. Nothing goes wrong in either browser on the way.
 */
import t from 'tap';
import { startWebHarness } from './web.browser.test-support.js';
import { conversationLink, historyOf, messageRows, openDirectChat, sendMessage, signUpThroughUi } from './web.flows.test-support.js';

t.setTimeout(150_000);

t.test('two people sign up, find each other and chat live: typing, "Seen", edit, delete and presence included', async (t) => {
  const h = await startWebHarness(t);
  const ada = await h.person('Ada');
  const grace = await h.person('Grace');

  await Promise.all([signUpThroughUi(h, ada, { via: 'link' }), signUpThroughUi(h, grace, { via: 'page', wrongCodeFirst: true })]);
  t.pass('both signed up and in: Ada through the mail’s link, Grace with the code typed on the verify page after a wrong one (attempts left shown)');

  const conversationId = await openDirectChat(ada, grace);
  t.match(conversationId, /^[0-9a-f]{24}$/, 'Ada found Grace by nickname and opened their direct chat');
  await sendMessage(ada.page, 'Hello Grace, this is Ada.');

  // Grace's list learns of the conversation live, unread; she finds Ada by nickname too: the same chat.
  const arrived = conversationLink(grace.page, 'Hello Grace, this is Ada.');
  await arrived.getByLabel('1 unread message').waitFor();
  t.pass('Grace’s list shows the new chat with Ada’s message, unread, without a reload');
  await arrived.getByText('Ada', { exact: true }).waitFor();
  t.pass('titled with Ada’s nickname, though Grace never looked her up');
  t.equal(await openDirectChat(grace, ada), conversationId, 'Grace finds Ada by nickname: their one direct chat');
  await messageRows(grace.page, 'Hello Grace, this is Ada.').waitFor();
  t.pass('Grace sees Ada’s message in it');
  await conversationLink(grace.page, 'Ada').getByLabel(/unread/).waitFor({ state: 'detached' });
  t.pass('and the unread count is gone from her list');

  // Ada's message is read on Grace's screen: Ada's row says so.
  await messageRows(ada.page, 'Hello Grace, this is Ada.').getByText('Seen', { exact: true }).waitFor();
  t.pass('Ada sees "Seen" under her message once Grace has it on screen');

  // Typing: Grace writes, Ada sees it; Grace sends with Enter, the indicator goes.
  const composer = grace.page.getByLabel('Message', { exact: true });
  await composer.pressSequentially('Hi Ada');
  const typing = ada.page.getByText('Grace is typing…', { exact: true });
  await typing.waitFor();
  t.pass('Ada sees "Grace is typing…"');
  await composer.pressSequentially('! Nice to meet you.');
  await composer.press('Enter');
  await messageRows(ada.page, 'Hi Ada! Nice to meet you.').waitFor();
  t.pass('Grace’s reply appears on Ada’s side live');
  await typing.waitFor({ state: 'detached' });
  t.pass('and the typing indicator is gone once it is sent');
  await messageRows(grace.page, 'Hi Ada! Nice to meet you.').getByText('Seen', { exact: true }).waitFor();
  t.pass('Grace sees "Seen" under her reply');

  // Shift+Enter is a new line, not a send.
  await ada.page.getByLabel('Message', { exact: true }).fill('first line');
  await ada.page.getByLabel('Message', { exact: true }).press('Shift+Enter');
  await ada.page.getByLabel('Message', { exact: true }).pressSequentially('second line');
  t.equal(await ada.page.getByLabel('Message', { exact: true }).inputValue(), 'first line\nsecond line', 'Shift+Enter starts a new line');
  await ada.page.getByRole('button', { name: 'Send', exact: true }).click();
  await messageRows(grace.page, 'first line\nsecond line').waitFor();
  t.pass('the Send button sends the two lines as one message');

  // Each message is on each side exactly once.
  for (const text of ['Hello Grace, this is Ada.', 'Hi Ada! Nice to meet you.', 'first line\nsecond line']) {
    t.equal(await messageRows(ada.page, text).count(), 1, `Ada has "${text}" once`);
    t.equal(await messageRows(grace.page, text).count(), 1, `Grace has "${text}" once`);
  }
  t.equal(await historyOf(ada.page).getByRole('article').count(), 3, 'Ada’s history holds the three messages');

  // Edit and delete her own messages: Grace sees both live.
  const hello = messageRows(ada.page, 'Hello Grace, this is Ada.');
  await hello.getByRole('button', { name: 'Edit', exact: true }).click();
  const editField = ada.page.getByLabel('Edit message', { exact: true });
  await editField.fill('Hello Grace, this is Ada Lovelace.');
  await editField.press('Enter');
  const edited = messageRows(grace.page, 'Hello Grace, this is Ada Lovelace.');
  await edited.getByText('edited', { exact: true }).waitFor();
  t.equal(await messageRows(grace.page, 'Hello Grace, this is Ada.').count(), 0, 'Grace sees Ada’s edit live, marked "edited", the old text gone');
  await messageRows(ada.page, 'first line\nsecond line').getByRole('button', { name: 'Delete', exact: true }).click();
  await ada.page.getByRole('group', { name: 'Delete this message?' }).getByRole('button', { name: 'Yes, delete' }).click();
  await messageRows(grace.page, 'Message deleted').waitFor();
  t.equal(await messageRows(grace.page, 'first line\nsecond line').count(), 0, 'and the deleted message replaced by "Message deleted"');

  // Presence: Grace is shown online in the header of Ada's chat, and not once her window is closed.
  const presence = ada.page.getByRole('main').locator('header');
  await presence.getByText('online', { exact: true }).waitFor();
  t.pass('Ada sees Grace online');
  await grace.problems.tolerate(() => grace.page.close());
  await presence.getByText(/^(offline|last seen .+)$/).waitFor();
  t.pass('and offline once Grace closed her window');

  for (const p of [ada, grace]) {
    t.same(p.problems.unexpected, [], `${p.label}: no console errors, script errors, failed requests or error responses`);
    t.same(p.problems.csp, [], `${p.label}: nothing blocked by the CSP`);
  }
});
