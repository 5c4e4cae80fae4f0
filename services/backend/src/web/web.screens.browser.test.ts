/**
 * The main screens, drawn: sign up, verify, the conversation list, a conversation and settings at
 * desktop width, then the list and a conversation at 360 px, where they must still be usable with no
 * sideways scrolling. Screenshots go to a temp folder; with ASHCHAT_WRITE_SCREENSHOTS=1 into
 * docs/screenshots/ (the README shows those). No CSP refusal and no error on the way.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import t from 'tap';
import { sendMessage as restSend } from '../chat/chat.test-support.js';
import { PHONE, screenshots, startWebHarness } from './web.browser.test-support.js';
import { conversationLink, historyOf, horizontalOverflow, messageRows, openDirectChat, restAccount, sendMessage, signUpThroughUi } from './web.flows.test-support.js';

t.setTimeout(150_000);

t.test('the main screens at desktop width and at 360 px: drawn, usable, no sideways scroll', async (t) => {
  const h = await startWebHarness(t);
  const shots = await screenshots(t, process.env.ASHCHAT_WRITE_SCREENSHOTS === '1');
  // A readable address: the settings screenshot shows it (the database is this test's own).
  const ada = await h.person('Ada', { email: 'ada@example.test' });
  await signUpThroughUi(h, ada, { shots });
  const { page } = ada;

  // Two people write to Ada, so the list has something to show.
  const bob = await restAccount(h.app, { nickname: 'Bob' });
  const charles = await restAccount(h.app, { nickname: 'Charles' });
  const found = await bob.call('GET', `/v1/users?query=${encodeURIComponent(ada.nickname)}`);
  const adaId = found.json<{ items: Array<{ id: string; nickname: string }> }>().items.find((u) => u.nickname === ada.nickname)?.id ?? '';
  const group = await bob.call('POST', '/v1/conversations', { type: 'group', name: 'Engine room', members: [charles.id, adaId] });
  const groupId = group.json<{ id: string }>().id;
  await restSend(charles, groupId, 'The new gears arrived this morning.', randomUUID());
  const directId = await openDirectChat(ada, bob);
  await restSend(bob, directId, 'Hi Ada! Did you get the notes on the Analytical Engine?', randomUUID());
  await messageRows(page, 'Hi Ada! Did you get the notes on the Analytical Engine?').waitFor();
  await sendMessage(page, 'I did, thank you. I am writing the part about Bernoulli numbers now.');
  const last = await restSend(bob, directId, 'Wonderful. Shall we meet on Thursday?', randomUUID());
  await messageRows(page, 'Wonderful. Shall we meet on Thursday?').waitFor();
  // Bob has read it all: Ada's message shows "Seen".
  await bob.call('POST', `/v1/conversations/${directId}/read`, { upTo: last.id });
  await messageRows(page, 'I did, thank you. I am writing the part about Bernoulli numbers now.').getByText('Seen', { exact: true }).waitFor();
  await shots.take(page, 'conversation');

  await page.goto('/');
  await conversationLink(page, 'Wonderful. Shall we meet on Thursday?').waitFor();
  await shots.take(page, 'conversations');

  await page.goto('/settings');
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.getByText('This device').first().waitFor();
  await shots.take(page, 'settings');

  // 360 px: the list alone, then the conversation alone, each usable without scrolling sideways.
  await page.setViewportSize(PHONE);
  await page.goto('/');
  const link = conversationLink(page, 'Wonderful. Shall we meet on Thursday?');
  await link.waitFor();
  let overflow = await horizontalOverflow(page);
  t.ok(overflow.scrollWidth <= overflow.innerWidth, `the conversation list fits 360 px (${overflow.scrollWidth} ≤ ${overflow.innerWidth})`);
  await shots.take(page, 'conversations-360');

  await link.click();
  await page.waitForURL(`**/c/${directId}`);
  await messageRows(page, 'Wonderful. Shall we meet on Thursday?').waitFor();
  const composer = page.getByLabel('Message', { exact: true });
  t.ok(await composer.isVisible(), 'the composer is on screen');
  t.ok(await page.getByRole('button', { name: 'Send', exact: true }).isVisible(), 'and its Send button');
  await sendMessage(page, 'Thursday is fine.');
  t.ok(await historyOf(page).isVisible(), 'sending from the phone-sized window works');
  overflow = await horizontalOverflow(page);
  t.ok(overflow.scrollWidth <= overflow.innerWidth, `the conversation fits 360 px (${overflow.scrollWidth} ≤ ${overflow.innerWidth})`);
  await shots.take(page, 'conversation-360');

  await page.goto('/settings');
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  overflow = await horizontalOverflow(page);
  t.ok(overflow.scrollWidth <= overflow.innerWidth, `settings fit 360 px (${overflow.scrollWidth} ≤ ${overflow.innerWidth})`);

  // Signed out at 360 px: the sign-up form fits too.
  const phone = await h.person('Phone', { viewport: PHONE });
  await phone.page.goto('/sign-up');
  await phone.page.getByRole('button', { name: 'Create account' }).waitFor();
  overflow = await horizontalOverflow(phone.page);
  t.ok(overflow.scrollWidth <= overflow.innerWidth, `the sign-up form fits 360 px (${overflow.scrollWidth} ≤ ${overflow.innerWidth})`);

  for (const path of shots.taken) t.ok((await stat(path)).size > 0, `screenshot ${path}`);
  for (const p of [ada, phone]) {
    t.same(p.problems.unexpected, [], `${p.label}: no console errors, script errors, failed requests or error responses`);
    t.same(p.problems.csp, [], `${p.label}: nothing blocked by the CSP`);
  }
});
