/**
 * Replies and mentions in the browser, between two people: Bob asks; Ada replies to his message
 * (the reply bar, Escape cancels it, the quote above her answer) and mentions him through the `@`
 * autocomplete (keyboard only). Bob's list shows the "@" badge until he opens the chat, where the
 * quote and the highlighted mention of him are shown.
 */
import t from 'tap';
import { startWebHarness } from './web.browser.test-support.js';
import { conversationLink, historyOf, messageRows, signedInPerson } from './web.flows.test-support.js';

t.setTimeout(150_000);

t.test('a reply with its quote and a mention chosen from the autocomplete, seen live by the other side', async (t) => {
  const h = await startWebHarness(t);
  const ada = await signedInPerson(h, 'Ada', 'web-replies');
  const bob = await signedInPerson(h, 'Bob', 'web-replies');
  const created = await bob.account.call('POST', '/v1/conversations', { type: 'direct', members: [ada.account.id] });
  const conversationId = created.json<{ id: string }>().id;
  const question = 'Are we meeting at noon?';
  await bob.account.call('POST', `/v1/conversations/${conversationId}/messages`, { body: question, clientMessageId: 'q-1' });

  const page = ada.person.page;
  await conversationLink(page, 'Bob').click();
  const asked = messageRows(page, question);
  await asked.waitFor();
  await asked.getByRole('button', { name: 'Reply' }).click();
  const field = page.getByLabel('Message', { exact: true });
  await page.getByText('Replying to Bob', { exact: true }).waitFor();
  await field.press('Escape');
  await page.getByText('Replying to Bob', { exact: true }).waitFor({ state: 'detached' });
  t.pass('Reply opens the reply bar; Escape in the field cancels it');

  await asked.getByRole('button', { name: 'Reply' }).click();
  await page.getByRole('button', { name: 'Cancel reply' }).waitFor();
  await field.fill('Yes, see you there.');
  await field.press('Enter');
  const answer = messageRows(page, 'Yes, see you there.');
  const quoteName = `In reply to Bob: ${question} (show the original)`;
  await answer.getByRole('button', { name: quoteName }).waitFor();
  await page.getByText('Replying to Bob', { exact: true }).waitFor({ state: 'detached' });
  t.pass('the sent reply shows the quote; the bar is gone');

  await field.pressSequentially('@bo');
  const suggestions = page.getByRole('listbox', { name: 'Members to mention' });
  await suggestions.getByRole('option', { name: 'Bob', exact: true }).waitFor();
  t.equal(await suggestions.getByRole('option').count(), 1, 'only the member whose nickname starts so (not me)');
  await field.press('Escape');
  await suggestions.waitFor({ state: 'hidden' });
  await field.press('Backspace');
  await field.pressSequentially('o');
  await suggestions.getByRole('option', { name: 'Bob', exact: true }).waitFor();
  await field.press('Enter');
  await suggestions.waitFor({ state: 'hidden' });
  t.equal(await field.inputValue(), '@Bob ', 'Enter puts the nickname in, and does not send');
  await field.pressSequentially('look at this');
  await field.press('Enter');
  await messageRows(page, '@Bob look at this').waitFor();
  t.pass('Escape closes the list; Enter chooses; the message is sent');

  const bobPage = bob.person.page;
  const item = conversationLink(bobPage, 'Ada');
  await item.getByLabel('1 unread mention of you', { exact: true }).waitFor();
  t.pass("Bob's list shows the mention badge");
  await item.click();
  const mentioned = historyOf(bobPage).getByRole('article').filter({ hasText: 'look at this' });
  await mentioned.locator('mark', { hasText: '@Bob' }).waitFor();
  const reply = messageRows(bobPage, 'Yes, see you there.');
  await reply.getByRole('button', { name: quoteName }).click();
  await item.getByLabel('1 unread mention of you', { exact: true }).waitFor({ state: 'detached' });
  t.pass('Bob sees the quote and his highlighted mention; reading clears the badge');

  for (const p of [ada.person, bob.person]) {
    t.same(p.problems.unexpected, [], `${p.label}: no console errors, script errors, failed requests or error responses`);
    t.same(p.problems.csp, [], `${p.label}: nothing blocked by the CSP`);
  }
});
