/**
 * Test-only harness of the web client's browser tests: one listening backend (real verifier, SMTP
 * sink, shared database — registration.harness.test-support.ts) serving the built client, Debian's
 * headless Chromium driven by playwright-core, one browser context per person, and a record of
 * everything that went wrong in each context (console errors, script errors, failed requests,
 * error responses, CSP refusals) that a test asserts empty at the end.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureChromium, findRepoRoot, waitFor } from '@ashchat/testkit';
import { WEB_DIST_DIR } from '@ashchat/web';
import { PASSWORD, startRegistrationHarness, type RegistrationHarness, type Teardown } from '../registration/registration.harness.test-support.js';
import { startTestTranslator } from './web.translator.test-support.js';

export { PASSWORD };

const BUILD_TIMEOUT_MS = 90_000;
/** A build left behind by a killed run is not waited for longer than this. */
const STALE_LOCK_MS = 120_000;

/**
 * The client the backend serves (packages/web/dist). `pnpm test` builds it before tap; a lone
 * `tap` run builds it here once. Parallel test files share one build: the first takes a lock
 * directory, the others wait for it to go (vite empties dist/ first, so index.html alone says nothing).
 */
export async function ensureWebBuild(): Promise<void> {
  const index = join(WEB_DIST_DIR, 'index.html');
  if (existsSync(index)) return;
  const webDir = dirname(WEB_DIST_DIR);
  const lock = join(tmpdir(), 'ashchat-web-build.lock');
  const deadline = Date.now() + BUILD_TIMEOUT_MS + 30_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another test's web build did not finish; build it with ./ashchat --filter @ashchat/web build`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (existsSync(index) && !existsSync(lock)) return;
    }
  }
  try {
    if (existsSync(index)) return;
    // Vite's exports do not include its bin: found beside its package.json, where that names it.
    const vitePackage = createRequire(join(webDir, 'package.json')).resolve('vite/package.json');
    const vite = join(dirname(vitePackage), 'bin', 'vite.js');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: webDir, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0 && existsSync(index)) resolve();
        else reject(new Error(`building the web client failed (${signal ?? `exit ${code}`}); run ./ashchat --filter @ashchat/web build\n${stderr}`));
      });
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** What went wrong in one browser context; `unexpected` must be empty at the end of a test. */
export interface Problems {
  readonly unexpected: string[];
  /** Console messages about the Content Security Policy (also in `unexpected`). */
  readonly csp: string[];
  /** What happened inside `tolerate` (offline on purpose): kept apart, not asserted. */
  readonly tolerated: string[];
  /** Error responses a test provokes on purpose (a wrong code's 4xx): `url` matched, with one of `statuses`. */
  allow(url: RegExp, statuses: number[]): void;
  /** Failed requests and console errors while `fn` runs are expected (the context is offline). */
  tolerate<T>(fn: () => Promise<T>): Promise<T>;
}

export function watchProblems(context: BrowserContext): Problems {
  const unexpected: string[] = [];
  const csp: string[] = [];
  const tolerated: string[] = [];
  const allowed: Array<{ url: RegExp; statuses: number[] }> = [];
  let tolerating = 0;
  const isAllowed = (url: string, status: number): boolean => allowed.some((a) => a.url.test(url) && a.statuses.includes(status));
  const report = (line: string): void => {
    (tolerating > 0 ? tolerated : unexpected).push(line);
  };

  context.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy/i.test(text)) csp.push(text);
    if (message.type() !== 'error') return;
    // Chromium logs every error response as "Failed to load resource"; an allowed one is no problem.
    const resource = message.location().url;
    if (/Failed to load resource/.test(text) && allowed.some((a) => a.url.test(resource))) return;
    report(`console error: ${text} (${resource})`);
  });
  context.on('weberror', (error) => report(`page error: ${error.error().message}`));
  context.on('requestfailed', (request) => report(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`));
  context.on('response', (response) => {
    if (response.status() >= 400 && !isAllowed(response.url(), response.status())) report(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });

  return {
    unexpected,
    csp,
    tolerated,
    allow: (url, statuses) => void allowed.push({ url, statuses }),
    async tolerate(fn) {
      tolerating++;
      try {
        return await fn();
      } finally {
        tolerating--;
      }
    },
  };
}

/** One person: their own browser context (storage, cookies, network) and page. */
export interface Person {
  label: string;
  email: string;
  nickname: string;
  context: BrowserContext;
  page: Page;
  problems: Problems;
}

export interface PersonOptions {
  nickname?: string;
  /** The address to sign up with (a unique one by default). */
  email?: string;
  /** An existing account (createTestUser) to sign in to: its e-mail and the device id it trusts. */
  account?: { email: string; deviceId: string };
  viewport?: { width: number; height: number };
}

export interface WebHarness {
  reg: RegistrationHarness;
  app: FastifyInstance;
  /** http://127.0.0.1:<port>, where the browser reaches the backend. */
  base: string;
  browser: Browser;
  /** A new browser context and page; `viewport` defaults to a desktop window. */
  person(label: string, o?: PersonOptions): Promise<Person>;
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

let counter = 0;
/** Where the client keeps its device id (packages/web/src/api/device.identity.ts). */
export const DEVICE_ID_KEY = 'ashchat.deviceId';

/** What a failing test leaves for a person to look at: each page's screenshot, text and problems. */
export interface Diagnosing extends Teardown {
  passing(): boolean;
  comment(...message: unknown[]): void;
}

async function leaveDiagnostics(t: Diagnosing, people: readonly Person[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ashchat-web-failure-'));
  for (const p of people) {
    for (const [i, page] of p.context.pages().entries()) {
      const name = `${p.label}-${i}`;
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, timeout: 5_000 }).catch(() => undefined);
      const text = await page.locator('body').innerText({ timeout: 2_000 }).catch(() => '');
      t.comment(`${name} at ${page.url()} (screenshot ${join(dir, `${name}.png`)}):\n${text.slice(0, 1_500)}`);
    }
    t.comment(`${p.label}'s problems: ${JSON.stringify({ unexpected: p.problems.unexpected, tolerated: p.problems.tolerated })}`);
  }
}

/** `env`: extra backend settings for this test's instance (e.g. a small SEARCH_SCAN_LIMIT); `translator`: run the real translator too. */
export async function startWebHarness(t: Diagnosing, o: { env?: Record<string, string>; translator?: boolean } = {}): Promise<WebHarness> {
  await ensureWebBuild();
  const people: Person[] = [];
  // Closed in this order: pages (and their WebSockets) first, then the apps, the verifier and the queues.
  const closers: Array<() => unknown> = [];
  const later: Teardown = { teardown: (fn) => void closers.push(fn) };
  t.teardown(async () => {
    if (!t.passing()) await leaveDiagnostics(t, people);
    for (const close of closers.reverse()) await close();
  });
  const reg = await startRegistrationHarness(later, o.env ? { env: o.env } : {});
  // Closes before the harness's queues go (closers run in reverse).
  if (o.translator) await startTestTranslator(later, reg.namespace);
  const app = await reg.startApp();
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const launched = await chromium.launch({
    executablePath: ensureChromium(),
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  closers.push(() => launched.close());

  return {
    reg,
    app,
    base,
    browser: launched,
    async person(label, o = {}) {
      // An existing account's browser already holds the device id it trusts (the client keeps it in localStorage).
      const storageState = o.account ? { cookies: [], origins: [{ origin: base, localStorage: [{ name: DEVICE_ID_KEY, value: o.account.deviceId }] }] } : undefined;
      const context = await launched.newContext({ viewport: o.viewport ?? DESKTOP, baseURL: base, locale: 'en-US', ...(storageState ? { storageState } : {}) });
      const problems = watchProblems(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const email = o.account?.email ?? o.email ?? `${label.toLowerCase()}.${process.pid}.${++counter}.${Date.now().toString(36)}@example.test`;
      const person = { label, email, nickname: o.nickname ?? label, context, page, problems };
      people.push(person);
      return person;
    },
  };
}

/** Where screenshots go: docs/screenshots/ when `intoRepo` (ASHCHAT_WRITE_SCREENSHOTS=1), else a temp folder, so a test run leaves the checkout clean. */
export interface Shots {
  dir: string;
  taken: string[];
  take(page: Page, name: string): Promise<void>;
}

export async function screenshots(t: Teardown, intoRepo: boolean): Promise<Shots> {
  const dir = intoRepo ? join(findRepoRoot(), 'docs', 'screenshots') : await mkdtemp(join(tmpdir(), 'ashchat-web-shots-'));
  if (intoRepo) mkdirSync(dir, { recursive: true });
  else t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const taken: string[] = [];
  return {
    dir,
    taken,
    async take(page, name) {
      const path = join(dir, `${name}.png`);
      await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
      taken.push(path);
    },
  };
}

export { waitFor };
// The steps through the screens live beside the harness; one import serves a test file both.
export * from './web.flows.test-support.js';
