/**
 * The client CSP in a real browser (Debian's headless Chromium, playwright-core): a probe page served
 * the way the web client is lets through what the client needs (its script and stylesheet, the API,
 * the WebSocket on the same origin, data: and blob: images) and blocks the rest.
 */
import { join } from 'node:path';
import { ensureChromium, waitFor } from '@ashchat/testkit';
import { WS_SUBPROTOCOL } from '@ashchat/contracts';
import { chromium } from 'playwright-core';
import t from 'tap';
import { buildTestApp } from '../app.test-support.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';

// Runs as the client's bundle does (a module script from /assets/); writes what it could do into the page.
const PROBE_JS = `
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(e.effectiveDirective + ' ' + e.blockedURI);
  document.getElementById('violations').textContent = JSON.stringify(violations);
});
const image = (src) => new Promise((resolve) => {
  const img = new Image();
  img.onload = () => resolve('loaded');
  img.onerror = () => resolve('refused');
  img.src = src;
});
const svg = ${JSON.stringify(SVG)};
const results = {};
results.api = (await fetch('/health')).status;
results.ws = await new Promise((resolve) => {
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/ws', [${JSON.stringify(WS_SUBPROTOCOL)}]);
  ws.onopen = () => { ws.close(); resolve('open'); };
  ws.onerror = () => resolve('refused');
});
results.dataImage = await image('data:image/svg+xml,' + encodeURIComponent(svg));
results.blobImage = await image(URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })));
results.stylesheet = getComputedStyle(document.getElementById('result')).getPropertyValue('--probe').trim();
// What the CSP must refuse: a script written into the page, a request to another origin.
const inline = document.createElement('script');
inline.textContent = 'window.inlineRan = true';
document.head.append(inline);
results.inlineScript = window.inlineRan === true ? 'ran' : 'refused';
results.otherOrigin = await fetch('http://127.0.0.2:9/').then(() => 'loaded', () => 'refused');
document.getElementById('result').textContent = JSON.stringify(results);
`;
const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>probe</title>
<link rel="stylesheet" href="/assets/probe-abc123.css">
<script type="module" src="/assets/probe-abc123.js"></script>
</head><body><pre id="result"></pre><pre id="violations">[]</pre></body></html>
`;

t.test('the client CSP allows the same-origin API, WebSocket, assets and data:/blob: images, nothing else', async (t) => {
  const dir = t.testdir({ 'index.html': INDEX_HTML, assets: { 'probe-abc123.js': PROBE_JS, 'probe-abc123.css': '#result { --probe: applied; }\n' } });
  const app = await buildTestApp(t, { env: { WEB_CLIENT_DIR: join(dir) } });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });

  const browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));

  // A deep link, as the verification mail's: the page and its absolute asset paths still load.
  const res = await page.goto(`${base}/verify?registration=probe`);
  t.equal(res?.status(), 200);
  const result = page.locator('#result');
  await waitFor(async () => (await result.textContent()) !== '', { timeoutMs: 30_000, intervalMs: 50, message: 'the probe to finish' });
  t.same(JSON.parse((await result.textContent()) ?? ''), {
    api: 200,
    ws: 'open',
    dataImage: 'loaded',
    blobImage: 'loaded',
    stylesheet: 'applied',
    inlineScript: 'refused',
    otherOrigin: 'refused',
  });
  // Violation reports arrive as events after the refusal: wait for both, then nothing else may be there.
  const reported = async (): Promise<string[]> => JSON.parse((await page.locator('#violations').textContent()) ?? '[]') as string[];
  await waitFor(async () => (await reported()).length >= 2, { timeoutMs: 10_000, intervalMs: 50, message: 'the two violation reports' });
  const violations = await reported();
  t.equal(violations.length, 2, `only the two refusals under test: ${JSON.stringify(violations)}`);
  t.ok(violations.some((v) => /^script-src(-elem)? inline$/.test(v)), 'the written script');
  t.ok(violations.some((v) => v.startsWith('connect-src http://127.0.0.2:9')), 'the other origin');
  t.same(errors, [], 'no script errors');
});
