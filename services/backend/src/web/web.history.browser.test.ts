/**
 * A long conversation in the browser: a reload keeps the session (and the page), the history scrolls
 * back through every page of 50 to the first message, and only the part around the viewport is in
 * the DOM (the list is virtualised).
 */
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { directConversation, sendMessage as restSend } from '../chat/chat.test-support.js';
import { startWebHarness, waitFor } from './web.browser.test-support.js';
import { conversationLink, historyOf, messageRows, restAccount, signedInShell, signInThroughUi } from './web.flows.test-support.js';

t.setTimeout(150_000);

/** More than two pages of the client's 50. */
const COUNT = 120;
const text = (n: number): string => `History ${String(n).padStart(3, '0')}`;

t.test('reload keeps the session; the history scrolls back through every page, with only the visible part in the DOM', async (t) => {
  const h = await startWebHarness(t);
  const deviceId = `web-history-${randomUUID()}`;
  const ada = await restAccount(h.app, { nickname: 'Ada', deviceId });
  const bob = await restAccount(h.app, { nickname: 'Bob' });
  const conversationId = await directConversation(bob, ada);
  for (let n = 1; n <= COUNT; n++) await restSend(n % 3 === 0 ? ada : bob, conversationId, text(n), `seed-${n}`);

  const person = await h.person('Ada', { account: { email: ada.email, deviceId } });
  await person.page.goto('/sign-in');
  await signInThroughUi(person, ada.password);
  const { page } = person;
  const olderPages: string[] = [];
  page.on('request', (request) => {
    if (/\/messages\?.*before=/.test(request.url())) olderPages.push(request.url());
  });
  await conversationLink(page, text(COUNT)).click();
  await page.waitForURL(`**/c/${conversationId}`);
  await messageRows(page, text(COUNT)).waitFor();
  t.pass('the conversation opens at its newest message');

  await page.reload();
  await signedInShell(page).waitFor();
  t.match(page.url(), new RegExp(`/c/${conversationId}$`), 'after a reload Ada is still signed in, on the same conversation');
  await messageRows(page, text(COUNT)).waitFor();
  t.pass('and sees its newest message again');

  // Scrolled up as a person does (the wheel over the history); older pages load as the top comes near.
  const history = historyOf(page);
  const first = messageRows(page, text(1));
  await history.hover();
  await waitFor(
    async () => {
      await page.mouse.wheel(0, -4_000);
      return (await first.count()) > 0;
    },
    { timeoutMs: 45_000, intervalMs: 100, message: `the first message after scrolling up through ${COUNT} messages` },
  );
  await first.waitFor();
  t.pass('scrolling up reaches the first message, three pages back');
  t.ok(olderPages.length >= 2, `older pages were fetched by cursor (${olderPages.length} requests with before=)`);
  await page.getByText('This is the start of the chat.', { exact: true }).waitFor();
  t.pass('and the start of the chat is marked');

  const rows = await history.getByRole('article').count();
  t.ok(rows > 0 && rows < COUNT, `only part of the ${COUNT} messages is in the DOM (${rows} rows)`);
  t.equal(await messageRows(page, text(COUNT)).count(), 0, 'the newest message left the DOM while the top is shown');
  for (const n of [1, 2, 3]) t.equal(await messageRows(page, text(n)).count(), 1, `"${text(n)}" is shown once`);

  // Back down: the newest is shown again, and a new message arrives live at the bottom.
  await waitFor(
    async () => {
      await page.mouse.wheel(0, 4_000);
      return (await messageRows(page, text(COUNT)).count()) > 0;
    },
    { timeoutMs: 30_000, intervalMs: 100, message: 'the newest message after scrolling back down' },
  );
  await restSend(bob, conversationId, 'After the long history', randomUUID());
  await messageRows(page, 'After the long history').waitFor();
  t.pass('scrolled back down, a new message from Bob arrives live');

  t.same(person.problems.unexpected, [], 'no console errors, script errors, failed requests or error responses');
  t.same(person.problems.csp, [], 'nothing blocked by the CSP');
});
