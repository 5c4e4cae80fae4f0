#!/usr/bin/env node
// Installs Debian's chromium for the browser tests when it is missing (see src/chromium.ts).
import { register } from 'tsx/esm/api';

register();
const { ensureChromium } = await import('../src/chromium.ts');
try {
  const path = ensureChromium();
  process.stdout.write(`chromium: ${path}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
