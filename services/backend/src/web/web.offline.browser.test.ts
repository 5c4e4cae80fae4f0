/**
 * A connection lost and back (playwright's `context.setOffline`; the client drops its WebSocket on
 * the browser's `offline` event): what the other side sent meanwhile arrives once, in order, and
 * what was written offline is sent once when the connection is back.
 */
import t from 'tap';
import { startWebHarness } from './web.browser.test-support.js';
import { historyOf, messageRows, openDirectChat, sendMessage, signUpThroughUi } from './web.flows.test-support.js';

t.setTimeout(150_000);

const MISSED = ['Missed one', 'Missed two', 'Missed three'];

t.test('offline and back: three messages sent meanwhile appear once, in order; one written offline is sent once', async (t) => {
  const h = await startWebHarness(t);
  const ada = await h.person('Ada');
  const grace = await h.person('Grace');
  await Promise.all([signUpThroughUi(h, ada), signUpThroughUi(h, grace)]);

  const conversationId = await openDirectChat(ada, grace);
  await sendMessage(ada.page, 'Before the tunnel');
  t.equal(await openDirectChat(grace, ada), conversationId, 'both are in their direct chat');
  await messageRows(grace.page, 'Before the tunnel').waitFor();

  const banner = grace.page.getByText('Offline — messages will be sent when the connection is back.', { exact: true });
  // Everything that fails while Grace is offline is expected; it is kept apart from the problems asserted below.
  await grace.problems.tolerate(async () => {
    await grace.context.setOffline(true);
    await banner.waitFor();
    t.pass('Grace sees that she is offline');

    for (const text of MISSED) await sendMessage(ada.page, text);
    // Sent means stored: the rows leave their pending state once the server acknowledged them.
    await historyOf(ada.page).getByText('Sending…').first().waitFor({ state: 'detached' });
    for (const text of MISSED) t.equal(await messageRows(grace.page, text).count(), 0, `"${text}" is not on Grace's screen while she is offline`);

    const composer = grace.page.getByLabel('Message', { exact: true });
    await composer.fill('Written in the tunnel');
    await composer.press('Enter');
    await messageRows(grace.page, 'Written in the tunnel').waitFor();
    t.pass('Grace’s message written offline is shown at once (optimistic)');

    await grace.context.setOffline(false);
    await banner.waitFor({ state: 'detached' });
    t.pass('the offline banner goes once the connection is back');
  });

  for (const text of MISSED) await messageRows(grace.page, text).waitFor();
  for (const text of MISSED) t.equal(await messageRows(grace.page, text).count(), 1, `"${text}" appears exactly once`);
  const bodies = await historyOf(grace.page).getByRole('article').allInnerTexts();
  const positions = ['Before the tunnel', ...MISSED].map((text) => bodies.findIndex((b) => b.includes(text)));
  t.notOk(positions.includes(-1), 'all four are in the DOM');
  t.same(
    positions,
    [...positions].sort((a, b) => a - b),
    `in the order they were sent (${positions.join(', ')})`,
  );

  await messageRows(ada.page, 'Written in the tunnel').waitFor();
  t.equal(await messageRows(ada.page, 'Written in the tunnel').count(), 1, 'the message written offline reaches Ada once');
  await messageRows(grace.page, 'Written in the tunnel').getByRole('alert').waitFor({ state: 'detached' });
  t.equal(await messageRows(grace.page, 'Written in the tunnel').count(), 1, 'and stays one row on Grace’s side, no longer failed');

  // A reload shows the stored history: the same messages, each once.
  await grace.page.reload();
  for (const text of [...MISSED, 'Written in the tunnel']) {
    await messageRows(grace.page, text).waitFor();
    t.equal(await messageRows(grace.page, text).count(), 1, `after a reload "${text}" is there once`);
  }

  for (const p of [ada, grace]) {
    t.same(p.problems.unexpected, [], `${p.label}: no console errors, script errors, failed requests or error responses outside the offline spell`);
    t.same(p.problems.csp, [], `${p.label}: nothing blocked by the CSP`);
  }
});
