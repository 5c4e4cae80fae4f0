/**
 * What a person sees: /docs (Swagger UI) and /docs/sagas (rendered charts) in Debian's headless
 * Chromium driven by playwright-core. `pnpm test` installs the chromium package first when it is
 * missing (ashchat-ensure-chromium).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium, waitFor } from '@ashchat/testkit';
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import { buildTestApp } from '../app.test-support.js';

t.test('a browser shows Swagger UI at /docs and the drawn state charts at /docs/sagas', async (t) => {
  const app = await buildTestApp(t);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const shots = await mkdtemp(join(tmpdir(), 'ashchat-docs-shots-'));
  t.teardown(() => rm(shots, { recursive: true, force: true }));

  const browser: Browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  // Each page runs under its own CSP (security-headers.plugin.ts): whatever it blocks, Chromium reports here.
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) blocked.push(`${page.url()}: ${message.text()}`);
  });

  const docs = await page.goto(`${base}/docs`);
  t.match(docs?.headers()['content-security-policy'], /default-src 'none'/, 'Swagger UI is served under a CSP');
  await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 30_000 });
  t.ok((await page.locator('.swagger-ui .opblock').count()) > 0, 'Swagger UI lists the operations');
  t.match(await page.locator('body').innerText(), /\/v1\/registrations/, 'including the registration routes');
  await page.screenshot({ path: join(shots, 'openapi.png'), fullPage: true });
  t.ok((await stat(join(shots, 'openapi.png'))).size > 0, 'screenshot of /docs');

  const sagas = await page.goto(`${base}/docs/sagas`);
  t.match(sagas?.headers()['content-security-policy'], /default-src 'none'/, 'the saga page is served under a CSP');
  const svg = page.locator('pre.mermaid svg');
  await svg.first().waitFor({ timeout: 30_000 });
  // Polled from here: a predicate evaluated in the page would need `unsafe-eval`, which its CSP refuses.
  const charts = page.locator('pre.mermaid');
  await waitFor(async () => (await svg.count()) === (await charts.count()), { timeoutMs: 30_000, intervalMs: 100, message: 'Mermaid to draw every chart' });
  t.equal(await svg.count(), await page.locator('pre.mermaid').count(), 'Mermaid turned every chart (state chart and message flow) into an SVG');
  t.equal(await page.locator('pre.mermaid svg[aria-roledescription="error"]').count(), 0, 'no chart failed to parse (Mermaid draws an error SVG then)');
  t.match(await svg.first().innerHTML(), /awaitingCode/, 'with the machine’s states in it');
  t.match(await svg.nth(1).innerHTML(), /ACCOUNT_CREATION_QUEUE/, 'and the message flow with the queues');
  await page.screenshot({ path: join(shots, 'sagas.png'), fullPage: true });
  t.ok((await stat(join(shots, 'sagas.png'))).size > 0, 'screenshot of /docs/sagas');
  if (process.env.ASHCHAT_KEEP_SCREENSHOTS) await page.screenshot({ path: process.env.ASHCHAT_KEEP_SCREENSHOTS, fullPage: true });
  t.same(errors, [], 'no script errors on either page');
  t.same(blocked, [], 'nothing either page needs is blocked by its CSP');
});
