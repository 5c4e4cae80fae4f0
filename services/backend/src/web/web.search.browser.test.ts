/**
 * Message search in the browser: Ada searches all her chats from the list's search field, meets the
 * scan bound (an honest note and "Search older messages"), opens a found message's chat, and searches
 * within that chat with "Load more"-style paging; another pair's messages never show; it fits a phone.
 */
import t from 'tap';
import { PHONE, startWebHarness } from './web.browser.test-support.js';
import { horizontalOverflow, messageRows, restAccount, signedInPerson } from './web.flows.test-support.js';

t.setTimeout(150_000);

/** Small, so a few dozen messages reach it (the server here has no text index: the bounded scan runs). */
const SCAN_LIMIT = 30;

t.test('search: all chats from the list, the scan bound said and passed, a result opened, then within one chat', async (t) => {
  const h = await startWebHarness(t, { env: { SEARCH_SCAN_LIMIT: String(SCAN_LIMIT) } });
  const [bob, cy] = [await restAccount(h.app, { nickname: 'Bob' }), await restAccount(h.app, { nickname: 'Cy' })];
  const { person: ada, account } = await signedInPerson(h, 'Ada', 'web-search');
  const { page } = ada;

  const direct = await bob.call('POST', '/v1/conversations', { type: 'direct', members: [account.id] });
  const room = direct.json<{ id: string }>().id;
  const send = async (body: string, id: string) => {
    const res = await bob.call('POST', `/v1/conversations/${room}/messages`, { body, clientMessageId: id });
    if (res.statusCode !== 201) throw new Error(`send: ${res.statusCode}`);
  };
  // Oldest first: the café message, 25 needles, 10 fillers. The newest 30 hold needles 6–25 and the fillers.
  await send('Lunch at the Café Müller on Friday?', 'cafe');
  for (let i = 1; i <= 25; i++) await send(`needle ${i}`, `n${i}`);
  for (let i = 1; i <= 10; i++) await send(`filler ${i}`, `f${i}`);
  const other = (await bob.call('POST', '/v1/conversations', { type: 'direct', members: [cy.id] })).json<{ id: string }>().id;
  await bob.call('POST', `/v1/conversations/${other}/messages`, { body: 'secret needle for Cy', clientMessageId: 'secret' });

  await page.getByLabel('Search messages', { exact: true }).fill('cafe MULLER');
  await page.getByLabel('Search messages', { exact: true }).press('Enter');
  await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === 'cafe MULLER');
  await page.getByRole('heading', { name: 'Search results', level: 1 }).waitFor();
  await page.getByText('Only the most recent messages were searched.', { exact: false }).waitFor();
  t.pass('the café message lies beyond the scan bound: the page says only the recent messages were searched');
  await page.getByRole('button', { name: 'Search older messages' }).click();
  const results = page.getByRole('list', { name: 'Messages found' });
  const cafe = results.getByRole('link').filter({ hasText: 'Lunch at the' });
  await cafe.waitFor();
  t.same(await cafe.locator('mark').allInnerTexts(), ['Café', 'Müller'], 'found without case or accents, the words marked');
  await cafe.getByText('Bob in Bob', { exact: true }).waitFor();
  t.equal(await page.getByText('Only the most recent messages were searched.', { exact: false }).count(), 0, 'everything searched: the note is gone');

  await cafe.click();
  await page.waitForURL((url) => url.pathname === `/c/${room}`);
  await page.getByRole('heading', { name: 'Bob', level: 1 }).waitFor();
  // (The history is a virtual list scrolled to the newest: the found message itself is far above.)
  await messageRows(page, 'filler 10').waitFor();
  t.pass('a result opens its chat');

  await page.getByRole('link', { name: 'Search messages in this chat' }).click();
  await page.waitForURL((url) => url.pathname === `/c/${room}/search`);
  const field = page.getByLabel('Search in this chat', { exact: true });
  t.ok(await field.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), 'the empty field has the focus');
  await field.fill('needle');
  await field.press('Enter');
  await page.getByText('20 messages found', { exact: true }).waitFor();
  await page.getByText('Only the most recent messages were searched.', { exact: false }).waitFor();
  t.equal(await results.getByRole('listitem').first().innerText().then((s) => s.includes('needle 25')), true, 'newest first');
  await page.getByRole('button', { name: 'Search older messages' }).click();
  await page.getByText('25 messages found', { exact: true }).waitFor();
  t.equal(await page.getByRole('button', { name: /Search older messages|Load more/ }).count(), 0, 'nothing more to load');
  const texts = await results.getByRole('listitem').allInnerTexts();
  t.equal(new Set(texts.map((s) => /needle (\d+)/.exec(s)?.[1])).size, 25, 'every needle once');
  t.notOk(texts.some((s) => s.includes('secret')), 'another pair’s message never shows');

  await page.goto('/search?q=secret');
  await page.getByText('No messages found for “secret”.', { exact: true }).waitFor();
  t.pass('searching for it across all chats finds nothing either');

  await page.setViewportSize(PHONE);
  await page.goto('/search?q=needle');
  await page.getByText('20 messages found', { exact: true }).waitFor();
  await results.waitFor();
  const { scrollWidth, innerWidth } = await horizontalOverflow(page);
  t.ok(scrollWidth <= innerWidth, `the results fit 360 px (${scrollWidth} ≤ ${innerWidth})`);
  await page.getByRole('link', { name: 'Back to chats' }).click();
  await page.waitForURL((url) => url.pathname === '/');

  t.same(ada.problems.unexpected, [], 'no console errors, script errors, failed requests or error responses');
  t.same(ada.problems.csp, [], 'nothing blocked by the CSP');
});
