/**
 * Mute and block in the browser: Ada mutes her chat with Bob (the list marks it), unmutes it; she
 * blocks Bob, whose next message is refused with a clear reason; she unblocks him in Settings and
 * his next message arrives live.
 */
import t from 'tap';
import { startWebHarness } from './web.browser.test-support.js';
import { conversationLink, messageRows, openDirectChat, sendMessage, signedInPerson } from './web.flows.test-support.js';

t.setTimeout(150_000);

t.test('mute shows in the list; a block refuses the blocked side’s message with a reason; unblock in Settings lets it through', async (t) => {
  const h = await startWebHarness(t);
  const [{ person: ada }, { person: bob }] = [await signedInPerson(h, 'Ada', 'web-relations'), await signedInPerson(h, 'Bob', 'web-relations')];
  const { page } = ada;
  // The refused send, if it goes over REST (over the WebSocket it is an error frame).
  bob.problems.allow(/\/v1\/conversations\/[0-9a-f]{24}\/messages$/, [403]);

  await openDirectChat(ada, { nickname: 'Bob' });
  await sendMessage(page, 'Hello, Bob.');
  const item = conversationLink(page, 'Hello, Bob.');

  await page.getByRole('button', { name: 'Mute this chat' }).click();
  await page.getByRole('group', { name: 'Mute for how long?' }).getByRole('button', { name: 'For 1 hour' }).click();
  await page.getByRole('button', { name: 'Unmute this chat' }).waitFor();
  await item.getByTitle(/^Muted until /).waitFor();
  t.pass('muted for an hour: the header offers Unmute, the list shows the muted mark');
  await page.getByRole('button', { name: 'Unmute this chat' }).click();
  await page.getByRole('button', { name: 'Mute this chat' }).waitFor();
  await item.getByTitle(/^Muted/).waitFor({ state: 'detached' });
  t.pass('unmuted: the mark is gone');

  await page.getByRole('button', { name: 'Block Bob' }).click();
  await page.getByRole('group', { name: 'Block Bob' }).getByRole('button', { name: 'Block', exact: true }).click();
  await page.getByText('You blocked Bob. Unblock to write again.', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Unblock Bob' }).waitFor();
  t.pass('Ada blocked Bob (after a confirm)');

  await conversationLink(bob.page, 'Hello, Bob.').click();
  await messageRows(bob.page, 'Hello, Bob.').waitFor();
  await sendMessage(bob.page, 'Are you there?');
  await messageRows(bob.page, 'Are you there?').getByText('Not sent: You cannot message this user.', { exact: true }).waitFor();
  t.pass('Bob’s message is refused, with the reason');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const blocked = page.getByRole('list', { name: 'Blocked users' });
  await blocked.getByText('Bob', { exact: true }).waitFor();
  await blocked.getByRole('button', { name: 'Unblock Bob' }).click();
  await page.getByText('Bob is no longer blocked.', { exact: true }).waitFor();
  await page.getByText('You have not blocked anyone.', { exact: true }).waitFor();
  t.pass('Ada unblocks Bob in Settings');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chats' }).click();
  await conversationLink(page, 'Hello, Bob.').click();
  await sendMessage(bob.page, 'Back again.');
  await messageRows(page, 'Back again.').waitFor();
  t.equal(await page.getByText('You blocked Bob. Unblock to write again.', { exact: true }).count(), 0, 'no block notice any more');
  t.pass('Bob’s next message reaches Ada live');

  for (const p of [ada, bob]) {
    t.same(p.problems.unexpected, [], `${p.label}: no console errors, script errors, failed requests or error responses`);
    t.same(p.problems.csp, [], `${p.label}: nothing blocked by the CSP`);
  }
});
