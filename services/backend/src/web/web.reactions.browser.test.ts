/**
 * Reactions in two browsers: Ada reacts to a message through the picker (with the keyboard), Bob sees
 * the chip arrive live and adds his by pressing it, and both see the count 2 with their own marked.
 */
import t from 'tap';
import { directConversation, sendMessage as restSend } from '../chat/chat.test-support.js';
import { startWebHarness } from './web.browser.test-support.js';
import { messageRows, signedInPerson } from './web.flows.test-support.js';

t.setTimeout(150_000);

const TEXT = 'React to this, please.';

t.test('Ada reacts, Bob sees the chip live and adds his: the count is 2 on both sides', async (t) => {
  const h = await startWebHarness(t);
  const { person: ada, account: adaAccount } = await signedInPerson(h, 'Ada', 'web-reactions');
  const { person: bob, account: bobAccount } = await signedInPerson(h, 'Bob', 'web-reactions');
  const conversationId = await directConversation(adaAccount, bobAccount);
  await restSend(bobAccount, conversationId, TEXT, 'reactions-seed');

  for (const person of [ada, bob]) {
    await person.page.goto(`/c/${conversationId}`);
    await messageRows(person.page, TEXT).waitFor();
  }
  t.pass('both have the conversation open');

  // Ada: the React button, then the picker with the keyboard (the first choice has the focus).
  const adasRow = messageRows(ada.page, TEXT);
  await adasRow.hover();
  const react = adasRow.getByRole('button', { name: 'Add a reaction', exact: true });
  await react.focus();
  await ada.page.keyboard.press('Enter');
  const picker = adasRow.getByRole('group', { name: 'Choose a reaction' });
  await picker.waitFor();
  t.equal(await react.getAttribute('aria-expanded'), 'true', 'the button says the picker is open');
  await picker.getByRole('button', { name: 'React with 👍', exact: true }).press('Enter');
  await picker.waitFor({ state: 'detached' });
  t.pass('choosing closes the picker');
  const adasChip = adasRow.getByRole('button', { name: /^👍: your reaction/ });
  await adasChip.waitFor();
  t.equal(await adasChip.getAttribute('aria-pressed'), 'true', 'Ada’s chip is marked as hers');

  // Bob sees it without a reload, not marked as his; pressing it adds his.
  const bobsRow = messageRows(bob.page, TEXT);
  const bobsChip = bobsRow.getByRole('button', { name: /^👍: 1 reaction\./ });
  await bobsChip.waitFor();
  t.equal(await bobsChip.getAttribute('aria-pressed'), 'false', 'Bob sees Ada’s reaction live, not marked as his');
  await bobsChip.click();
  const bobsAfter = bobsRow.getByRole('button', { name: /^👍: 2 reactions, including yours/ });
  await bobsAfter.waitFor();
  t.equal((await bobsAfter.innerText()).replace(/\s+/g, ''), '👍2', 'Bob’s chip shows 2');
  t.equal(await bobsAfter.getAttribute('aria-pressed'), 'true');

  const adasAfter = adasRow.getByRole('button', { name: /^👍: 2 reactions, including yours/ });
  await adasAfter.waitFor();
  t.equal((await adasAfter.innerText()).replace(/\s+/g, ''), '👍2', 'Ada sees the count 2 live');

  // After a reload the page agrees: the counts come from the server. (A reload aborts what the page
  // still had in flight, e.g. the list's refresh after the reaction: expected, not a failure.)
  await bob.problems.tolerate(() => bob.page.reload());
  await messageRows(bob.page, TEXT).getByRole('button', { name: /^👍: 2 reactions, including yours/ }).waitFor();
  t.pass('after a reload Bob still sees 2, his included');

  for (const p of [ada, bob]) t.same(p.problems.unexpected, [], `${p.label}: no console errors, failed requests or error responses`);
});
