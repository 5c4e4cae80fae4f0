/**
 * Groups in the browser: Ada creates one with Grace (names found by nickname), writes in it, adds
 * Bob; Grace leaves from the group's info; Ada removes Bob. Each side sees the changes live.
 */
import t from 'tap';
import { startWebHarness } from './web.browser.test-support.js';
import { conversationLink, messageRows, restAccount, sendMessage, signedInPerson } from './web.flows.test-support.js';

t.setTimeout(150_000);

t.test('a group: created with a member found by nickname, a member added, one leaving, one removed — live on both sides', async (t) => {
  const h = await startWebHarness(t);
  await restAccount(h.app, { nickname: 'Bob' });
  const [{ person: ada }, { person: grace }] = [await signedInPerson(h, 'Ada', 'web-groups'), await signedInPerson(h, 'Grace', 'web-groups')];
  const { page } = ada;

  await page.getByRole('button', { name: 'New group' }).click();
  await page.getByLabel('Group name', { exact: true }).fill('Engine room');
  await page.getByLabel('Search by nickname', { exact: true }).fill('Grace');
  await page.getByRole('list', { name: 'People found' }).getByRole('button', { name: 'Grace', exact: true }).click();
  await page.getByText('1 member chosen', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.waitForURL(/\/c\/[0-9a-f]{24}$/);
  await page.getByRole('heading', { name: 'Engine room', level: 1 }).waitFor();
  t.pass('Ada created "Engine room" with Grace');
  await sendMessage(page, 'Welcome to the engine room.');

  await conversationLink(grace.page, 'Engine room').click();
  const welcome = messageRows(grace.page, 'Welcome to the engine room.');
  await welcome.waitFor();
  t.equal(await welcome.getByText('Ada', { exact: true }).count(), 1, 'Grace sees the group live, the message under Ada’s name');
  const graceHeader = grace.page.getByRole('main').locator('header').first();
  await graceHeader.getByText('2 members', { exact: true }).waitFor();

  await page.getByRole('button', { name: 'Group info' }).click();
  await page.getByRole('button', { name: 'Add members' }).click();
  await page.getByRole('region', { name: 'Add members' }).getByLabel('Search by nickname', { exact: true }).fill('Bob');
  await page.getByRole('list', { name: 'People found' }).getByRole('button', { name: 'Bob', exact: true }).click();
  await page.getByText('Bob was added.', { exact: true }).waitFor();
  await graceHeader.getByText('3 members', { exact: true }).waitFor();
  t.pass('Ada adds Bob; Grace sees three members live');

  await grace.page.getByRole('button', { name: 'Group info' }).click();
  await grace.page.getByRole('button', { name: 'Leave group' }).click();
  await grace.page.waitForURL((url) => url.pathname === '/');
  await conversationLink(grace.page, 'Engine room').waitFor({ state: 'detached' });
  t.pass('Grace leaves; the group is gone from her list');
  const adaHeader = page.getByRole('main').locator('header').first();
  await adaHeader.getByText('2 members', { exact: true }).waitFor();
  t.pass('and Ada sees two members left');

  await page.getByRole('button', { name: 'Remove Bob' }).click();
  await page.getByText('Bob was removed.', { exact: true }).waitFor();
  await adaHeader.getByText('1 member', { exact: true }).waitFor();
  t.pass('Ada removes Bob: she is alone in the group');

  for (const p of [ada, grace]) {
    t.same(p.problems.unexpected, [], `${p.label}: no console errors, script errors, failed requests or error responses`);
    t.same(p.problems.csp, [], `${p.label}: nothing blocked by the CSP`);
  }
});
