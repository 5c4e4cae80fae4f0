/**
 * The account screens at /settings in Chromium, as a person uses them: profile (the UI switches to
 * German at once), password change (wrong, weak, right — the other device is signed out), sessions
 * (end the phone's, sign out everywhere), trusted devices (remove the phone; remove this device and
 * sign in again with the mailed code), and account deletion followed to "Your account was deleted".
 * A second device is a REST client (the phone) whose tokens show what the screens ended.
 */
import type { Page } from 'playwright-core';
import t from 'tap';
import { challengeMail, submitCode, waitForChallenge } from '../auth/device-challenge.harness.test-support.js';
import { codeFromMail } from '../registration/registration.harness.test-support.js';
import {
  horizontalOverflow,
  PASSWORD,
  PHONE,
  screenshots,
  signedInShell,
  signUpThroughUi,
  startWebHarness,
  type Person,
  type WebHarness,
} from './web.browser.test-support.js';

t.setTimeout(180_000);

const NEW_PASSWORD = 'another horse battery staple';
const PHONE_DEVICE = 'settings-phone-device-0000000001';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Signs in from the phone (REST): at once when it is trusted, else through its device challenge with the mailed code. */
async function phoneSignIn(h: WebHarness, p: Person, password: string, mailsBefore: number): Promise<Tokens> {
  const res = await h.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: p.email, password, deviceId: PHONE_DEVICE, deviceName: 'Test phone' } });
  if (res.statusCode === 201) return res.json<Tokens>();
  if (res.statusCode !== 202) throw new Error(`phone sign-in: ${res.statusCode} ${res.body}`);
  const { challengeId } = res.json<{ challengeId: string }>();
  const mail = await challengeMail(h.reg, p.email, challengeId, mailsBefore + 1);
  await waitForChallenge(h.app, challengeId, 'awaiting-code');
  const confirmed = await submitCode(h.app, challengeId, codeFromMail(mail));
  if (confirmed.statusCode !== 201) throw new Error(`phone challenge: ${confirmed.statusCode} ${confirmed.body}`);
  return confirmed.json<Tokens>();
}

/** Whether the phone's session still lives (its refresh token is accepted). */
async function phoneRefresh(h: WebHarness, tokens: Tokens): Promise<number> {
  return (await h.app.inject({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken: tokens.refreshToken } })).statusCode;
}

const list = (page: Page, name: 'Sessions' | 'Trusted devices') => page.getByRole('list', { name, exact: true }).getByRole('listitem');

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
}

t.test('settings: profile and language, password change, ending sessions, removing a device, signing out everywhere', async (t) => {
  const h = await startWebHarness(t);
  const ada = await h.person('Ada');
  const { page } = ada;
  const shots = await screenshots(t, process.env.ASHCHAT_WRITE_SCREENSHOTS === '1');
  // Refusals this test provokes on purpose: a bad nickname, a wrong and a weak password.
  ada.problems.allow(/\/v1\/me$/, [400]);
  ada.problems.allow(/\/v1\/me\/password$/, [400, 403]);

  await signUpThroughUi(h, ada);
  const phone = await phoneSignIn(h, ada, PASSWORD, 1);
  await openSettings(page);
  await list(page, 'Sessions').nth(1).waitFor();
  await list(page, 'Trusted devices').nth(1).waitFor();
  t.equal(await list(page, 'Sessions').filter({ hasText: 'This device' }).count(), 1, 'two sessions, this browser’s marked "This device"');
  t.equal(await list(page, 'Trusted devices').filter({ hasText: 'Test phone' }).count(), 1, 'two trusted devices, the phone by its name');
  await shots.take(page, 'settings');

  // Profile: a nickname the contract refuses, then a new nickname and German — the page switches at once.
  const nickname = page.getByLabel('Nickname', { exact: true });
  await nickname.fill('no <markup>');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('2–32 characters, no spaces', { exact: false }).waitFor();
  t.pass('a refused nickname is explained at its field');
  await nickname.fill('Countess Ada');
  const languageNames = await page.getByLabel('Language', { exact: true }).locator('option').allTextContents();
  t.same(languageNames, ['English', 'Deutsch', 'Español', 'Français'], 'every UI language, each by its own name');
  await page.getByLabel('Language', { exact: true }).selectOption('de');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByRole('heading', { level: 1, name: 'Einstellungen' }).waitFor();
  await page.getByText('Dein Profil wurde gespeichert.', { exact: true }).waitFor();
  const me = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${phone.accessToken}` } });
  t.match(me.json(), { nickname: 'Countess Ada', preferredLanguage: 'de' }, 'saved: the UI is German without a reload, the account says so');
  await page.getByLabel('Sprache', { exact: true }).selectOption('en');
  await page.getByRole('button', { name: 'Profil speichern' }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

  // Password: wrong current one, a weak new one, one too short (refused before sending), then right.
  const current = page.getByLabel('Current password', { exact: true });
  const fresh = page.getByLabel('New password', { exact: true });
  const change = page.getByRole('button', { name: 'Change password' });
  await current.fill('not my password');
  await fresh.fill(NEW_PASSWORD);
  await change.click();
  await page.getByText('The password is wrong.', { exact: true }).waitFor();
  await current.fill(PASSWORD);
  await fresh.fill('zzzzzzzzzzzz');
  await change.click();
  await page.getByText('The password cannot be one character repeated.', { exact: true }).waitFor();
  await fresh.fill('short');
  await change.click();
  await page.getByText('The new password needs at least 10 characters.', { exact: true }).waitFor();
  t.pass('wrong, weak and short passwords are each explained');
  await fresh.fill(NEW_PASSWORD);
  await change.click();
  await page.getByText('Every other device was signed out', { exact: false }).waitFor();
  t.equal(await phoneRefresh(h, phone), 401, 'changed: the phone’s session ended');
  await t.resolves(list(page, 'Sessions').filter({ hasText: 'Test phone' }).waitFor({ state: 'detached' }), 'and it left the list; this browser stayed in');

  // Sessions: end the phone's.
  const phone2 = await phoneSignIn(h, ada, NEW_PASSWORD, 2);
  await page.reload();
  await page.getByRole('button', { name: 'End the session on Test phone' }).click();
  await page.getByText('The session on Test phone was ended.', { exact: true }).waitFor();
  t.equal(await phoneRefresh(h, phone2), 401, 'the phone’s session ended from the list');

  // Devices: remove the phone, after a question; its sessions end and it is untrusted.
  const phone3 = await phoneSignIn(h, ada, NEW_PASSWORD, 2);
  await page.reload();
  await page.getByRole('button', { name: 'Remove Test phone' }).click();
  const confirm = page.getByRole('group', { name: 'Remove Test phone' });
  await confirm.getByText('Its sessions end now', { exact: false }).waitFor();
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await page.getByText('Test phone was removed and its sessions ended.', { exact: true }).waitFor();
  t.equal(await phoneRefresh(h, phone3), 401, 'the removed device’s session ended');
  const again = await h.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: ada.email, password: NEW_PASSWORD, deviceId: PHONE_DEVICE } });
  t.equal(again.statusCode, 202, 'and signing in on it needs a mailed code again');

  // Phone width: everything reachable without horizontal scrolling.
  await page.setViewportSize(PHONE);
  const width = await horizontalOverflow(page);
  t.ok(width.scrollWidth <= width.innerWidth, `no horizontal scrolling at ${PHONE.width} px (${width.scrollWidth} ≤ ${width.innerWidth})`);
  await shots.take(page, 'settings-phone');

  // Sign out everywhere: asked first, then the sign-in page says why.
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.getByRole('group', { name: 'Sign out everywhere' }).getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.getByText('You were signed out on every device.', { exact: true }).waitFor();
  t.match(page.url(), /\/sign-in$/, 'signed out everywhere: on the sign-in page with the reason');

  t.same(ada.problems.unexpected, [], 'no console errors, script errors, failed requests or error responses');
});

t.test('settings: removing this device signs out with why; deleting the account follows it to "Your account was deleted"', async (t) => {
  const h = await startWebHarness(t);
  const bea = await h.person('Bea');
  const { page } = bea;
  bea.problems.allow(/\/v1\/me$/, [403]);

  await signUpThroughUi(h, bea);
  await openSettings(page);
  await page.getByRole('button', { name: 'Remove This device' }).click();
  await page.getByRole('group', { name: 'Remove This device' }).getByText('You will be signed out here now', { exact: false }).waitFor();
  await page.getByRole('group', { name: 'Remove This device' }).getByRole('button', { name: 'Remove', exact: true }).click();
  const why = page.getByText('This device is no longer trusted and you were signed out.', { exact: false });
  await why.waitFor();
  t.pass('this device removed: signed out, and the sign-in page says why (not "ended on another device")');

  // Signing in again on this browser needs the mailed code.
  await page.getByLabel('Email', { exact: true }).fill(bea.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/device-challenge\?challenge=/);
  const challengeId = new URL(page.url()).searchParams.get('challenge') ?? '';
  await page.getByLabel('Verification code', { exact: true }).fill(codeFromMail(await challengeMail(h.reg, bea.email, challengeId, 2)));
  await page.getByRole('button', { name: 'Verify' }).click();
  // Whether the verdict comes in the POST's answer or later by polling, the screen signs in by itself
  // (the sign-in's password is still in this tab's memory; the device is trusted now).
  await signedInShell(page).waitFor();
  t.pass('signed in again with the code from the device mail');

  await openSettings(page);
  const section = page.locator('#delete');
  const password = section.getByLabel('Your password', { exact: true });
  const submit = section.getByRole('button', { name: 'Delete my account' });
  await password.fill(PASSWORD);
  await submit.click();
  await section.getByText('Tick the box to confirm.', { exact: true }).waitFor();
  await section.getByLabel('I understand that my account will be deleted for good.').check();
  await password.fill('not my password');
  await submit.click();
  await section.getByText('The password is wrong.', { exact: true }).waitFor();
  t.pass('the deletion needs the tick and the right password');
  await password.fill(PASSWORD);
  await submit.click();
  await page.getByText('Your account was deleted.', { exact: true }).waitFor({ timeout: 60_000 });
  t.match(page.url(), /\/sign-in$/, 'followed to the end: on the sign-in page with "Your account was deleted."');
  const signIn = await h.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: bea.email, password: PASSWORD, deviceId: 'settings-other-device-000000001' } });
  t.equal(signIn.statusCode, 401, 'the account is gone: its password signs in nowhere');

  t.same(bea.problems.unexpected, [], 'no console errors, script errors, failed requests or error responses');
});
