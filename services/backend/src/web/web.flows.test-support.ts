/**
 * Test-only: what a person does in the web client, step by step through its screens (by the labels
 * and roles a screen reader would use), for the browser tests; and accounts made over REST.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { catalogue } from '@ashchat/web/catalogue';
import type { Page } from 'playwright-core';
import type { ChatTestUser } from '../chat/chat.test-support.js';
import { codeFromMail, mailFor, PASSWORD, wrongCode } from '../registration/registration.harness.test-support.js';
import { createTestUser, loginAs, type TestUserOverrides } from '../users/user.test-support.js';
import type { Person, Shots, WebHarness } from './web.browser.test-support.js';

/** An account made without the screens (createTestUser) and signed in over REST: the other side of a chat. */
export async function restAccount(app: FastifyInstance, overrides: TestUserOverrides = {}): Promise<ChatTestUser> {
  const user = await createTestUser(app, overrides);
  const session = await loginAs(app, user);
  return {
    ...user,
    session,
    call: (method, url, payload) => app.inject({ method, url, headers: session.headers, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) }),
  };
}

/**
 * An account made over REST (its device id `<devicePrefix>-<uuid>`), signed in through the screens of
 * a browser that its account trusts. `overrides`: the account's other fields (e.g. preferredLanguage).
 */
export async function signedInPerson(
  h: WebHarness,
  nickname: string,
  devicePrefix: string,
  overrides: Omit<TestUserOverrides, 'nickname' | 'deviceId'> = {},
): Promise<{ person: Person; account: ChatTestUser }> {
  const deviceId = `${devicePrefix}-${randomUUID()}`;
  const account = await restAccount(h.app, { ...overrides, nickname, deviceId });
  const person = await h.person(nickname, { account: { email: account.email, deviceId } });
  await signInThroughUi(person, account.password);
  return { person, account };
}

/** The main navigation's name in every UI language: an account's own language shows as soon as it is signed in. */
const MAIN_NAVIGATION = new RegExp(`^(${Object.values(catalogue).map((table) => table['app.nav.main']).join('|')})$`);

/** The main navigation of the signed-in shell, in any UI language: its presence means the person is in. */
export const signedInShell = (page: Page) => page.getByRole('navigation', { name: MAIN_NAVIGATION });

/** The verification mail's link, on the test server's origin (the verifier mails PUBLIC_WEB_URL's). */
export function verifyLinkFromMail(text: string, base: string): string {
  const match = /https?:\/\/[^\s"'<>]+\/verify\?registration=[A-Za-z0-9-]+/.exec(text);
  if (!match) throw new Error('no verification link in the mail');
  const link = new URL(match[0]);
  return `${base}${link.pathname}${link.search}`;
}

/**
 * Signs `p` up through the screens: the form, the code from the SMTP sink typed into the verify page
 * (`via: 'link'` opens the mail's link first, as a person clicking it would; `wrongCodeFirst` types
 * a wrong code before and expects "not right" with the attempts left), then signed in.
 */
export async function signUpThroughUi(h: WebHarness, p: Person, o: { via?: 'page' | 'link'; wrongCodeFirst?: boolean; shots?: Shots } = {}): Promise<void> {
  const { page } = p;
  await page.goto('/sign-up');
  await page.getByLabel('Email', { exact: true }).fill(p.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Nickname', { exact: true }).fill(p.nickname);
  await o.shots?.take(page, 'sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/verify\?registration=/);
  const registrationId = new URL(page.url()).searchParams.get('registration') ?? '';
  const mail = mailFor(await h.reg.waitForMails(p.email), registrationId);
  if (o.via === 'link') await page.goto(verifyLinkFromMail(mail.Text, h.base));
  const code = codeFromMail(mail);
  if (o.wrongCodeFirst) {
    // Refused with 422 INVALID_CODE: expected, so not one of the problems the test asserts.
    p.problems.allow(/\/v1\/registrations\/[^/]+\/verification$/, [422]);
    await page.getByLabel('Verification code', { exact: true }).fill(wrongCode(code));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right.' }).filter({ hasText: /attempts? left/ }).waitFor();
  }
  await page.getByLabel('Verification code', { exact: true }).fill(code);
  await o.shots?.take(page, 'verify');
  await page.getByRole('button', { name: 'Verify' }).click();
  // The verify page signs in by itself when it still knows the password typed on sign-up (same page);
  // otherwise (the mail's link opened) it leads to the sign-in form.
  const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
  await signedInShell(page).or(signInButton).waitFor();
  if (await signInButton.isVisible()) await signInThroughUi(p);
}

/** Signs in on /sign-in (the device is trusted by the verification, so no mailed code). */
export async function signInThroughUi(p: Person, password = PASSWORD): Promise<void> {
  const { page } = p;
  if (!/\/sign-in/.test(page.url())) await page.goto('/sign-in');
  const email = page.getByLabel('Email', { exact: true });
  if ((await email.inputValue()) !== p.email) await email.fill(p.email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signedInShell(page).waitFor();
}

/** The open conversation's history (the virtualised list). */
export const historyOf = (page: Page) => page.getByRole('log', { name: 'Messages' });

/** The message rows in the DOM whose text is exactly `text`. */
export const messageRows = (page: Page, text: string) => historyOf(page).getByRole('article').filter({ has: page.getByText(text, { exact: true }) });

/** Types `text` into the composer and sends it with Enter (the keyboard path). */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const field = page.getByLabel('Message', { exact: true });
  await field.fill(text);
  await field.press('Enter');
  await messageRows(page, text).waitFor();
}

/** "New chat", a nickname search, the person found: opens the direct conversation; its id. */
export async function openDirectChat(from: Person, to: { nickname: string }): Promise<string> {
  const { page } = from;
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByLabel('Search by nickname', { exact: true }).fill(to.nickname);
  await page.getByRole('list', { name: 'People found' }).getByRole('button', { name: to.nickname, exact: true }).click();
  await page.waitForURL(/\/c\/[0-9a-f]{24}$/);
  return new URL(page.url()).pathname.split('/').pop() ?? '';
}

/** The links of the conversation list that contain `text` (a title, a last message). */
export const conversationLink = (page: Page, text: string) => page.getByRole('navigation', { name: 'Chats' }).getByRole('link').filter({ hasText: text });

/** No horizontal scrolling: the page is as wide as the window. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  // Runs in the page; the backend's TypeScript has no DOM types, hence the narrow shape.
  return page.evaluate(() => {
    const w = globalThis as unknown as { innerWidth: number; document: { scrollingElement: { scrollWidth: number } | null } };
    return { scrollWidth: w.document.scrollingElement?.scrollWidth ?? 0, innerWidth: w.innerWidth };
  });
}

