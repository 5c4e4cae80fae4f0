/**
 * Signed in without typing the password twice: a sign-up verified in the same tab, and a device
 * challenge whose verdict arrives by polling, sign in with the password still in the page's memory
 * (never in storage); the mail's link opened in a new page leads to the sign-in form instead.
 */
import t from 'tap';
import type { Page } from 'playwright-core';
import { challengeMail } from '../auth/device-challenge.harness.test-support.js';
import { codeFromMail, mailFor, PASSWORD } from '../registration/registration.harness.test-support.js';
import { startWebHarness, type Person, type WebHarness } from './web.browser.test-support.js';
import { restAccount, signedInShell, verifyLinkFromMail } from './web.flows.test-support.js';

t.setTimeout(120_000);

/** Everything this page keeps in localStorage and sessionStorage, values joined. */
async function storedText(page: Page): Promise<string> {
  // Runs in the page; the backend's TypeScript has no DOM types, hence the narrow shape.
  return page.evaluate(() => {
    type Store = { length: number; key(i: number): string | null; getItem(k: string): string | null };
    const w = globalThis as unknown as { localStorage: Store; sessionStorage: Store };
    const values: string[] = [];
    for (const store of [w.localStorage, w.sessionStorage]) for (let i = 0; i < store.length; i++) values.push(store.getItem(store.key(i) ?? '') ?? '');
    return values.join('\n');
  });
}

/** The sign-up form filled and sent; the registration's id and the code mailed for it. */
async function signUpForm(h: WebHarness, p: Person): Promise<{ registrationId: string; code: string; mailText: string }> {
  const { page } = p;
  await page.goto('/sign-up');
  await page.getByLabel('Email', { exact: true }).fill(p.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Nickname', { exact: true }).fill(p.nickname);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/verify\?registration=/);
  const registrationId = new URL(page.url()).searchParams.get('registration') ?? '';
  const mail = mailFor(await h.reg.waitForMails(p.email), registrationId);
  return { registrationId, code: codeFromMail(mail), mailText: mail.Text };
}

t.test('sign-up verified in the same tab signs in at once; the mail link in a new page leads to sign-in', async (t) => {
  const h = await startWebHarness(t);
  const ada = await h.person('Ada');
  const { code } = await signUpForm(h, ada);
  t.notMatch(await storedText(ada.page), PASSWORD, 'the password is in no storage');
  await ada.page.getByLabel('Verification code', { exact: true }).fill(code);
  await ada.page.getByRole('button', { name: 'Verify' }).click();
  await signedInShell(ada.page).waitFor();
  t.equal(new URL(ada.page.url()).pathname, '/', 'straight to the conversations, no sign-in form');
  t.notMatch(await storedText(ada.page), PASSWORD, 'nor is it after signing in');

  const grace = await h.person('Grace');
  const { mailText } = await signUpForm(h, grace);
  // The verify page's first read answered (its field shows) before leaving it, or that read is cut off.
  await grace.page.getByLabel('Verification code', { exact: true }).waitFor();
  // A new document (as a click in the mail opens): the page's memory is gone with the old one.
  await grace.page.goto(verifyLinkFromMail(mailText, h.base));
  await grace.page.getByLabel('Verification code', { exact: true }).fill(codeFromMail({ Text: mailText }));
  await grace.page.getByRole('button', { name: 'Verify' }).click();
  await grace.page.waitForURL(/\/sign-in\?/);
  await grace.page.getByText('Your account is ready. Sign in to start chatting.', { exact: true }).waitFor();
  t.equal(await grace.page.getByLabel('Email', { exact: true }).inputValue(), grace.email, 'the address prefilled');
  t.equal(await grace.page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password asked for');

  t.same([ada.problems.unexpected, grace.problems.unexpected], [[], []], 'no console errors or failed requests');
});

t.test('a device challenge confirmed by polling signs in with the password of the attempt', async (t) => {
  const h = await startWebHarness(t);
  const account = await restAccount(h.app, { nickname: 'Bea' });
  // A browser the account has never used: its sign-in needs the mailed code.
  const bea = await h.person('Bea', { email: account.email });
  const { page } = bea;
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/device-challenge\?challenge=/);
  const challengeId = new URL(page.url()).searchParams.get('challenge') ?? '';
  const code = codeFromMail(await challengeMail(h.reg, account.email, challengeId, 1));

  // The verdict made slower than the submit's bounded wait: the server confirms (and trusts the
  // device) for real, but the page is told "still verifying", as a slow verdict tells it; the
  // completion then reaches it only by its polling, without tokens.
  const path = `/v1/sessions/challenges/${challengeId}`;
  let confirmed = 0;
  await page.route(`**${path}`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const before = (await h.app.inject({ method: 'GET', url: path })).json<Record<string, unknown>>();
    const real = await route.fetch();
    confirmed = real.status();
    return route.fulfill({ status: 202, contentType: 'application/json', body: JSON.stringify({ ...before, status: 'verifying' }) });
  });
  await page.getByLabel('Verification code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await signedInShell(page).waitFor();
  t.equal(confirmed, 201, 'the server confirmed the code');
  t.equal(new URL(page.url()).pathname, '/', 'signed in without the password asked again');
  t.notMatch(await storedText(page), account.password, 'the password is in no storage');
  t.same(bea.problems.unexpected, [], 'no console errors or failed requests');
});
