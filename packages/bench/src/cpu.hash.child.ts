// Baseline of `cpu.bench.ts`: bare argon2id hashes in a process of their own, through the hasher the
// backend uses, with the parameters given as JSON in argv[2] and `concurrency` in flight. It hashes
// from start until stdin ends; each `count <k>` line on stdin is answered with the hashes done so far,
// so the parent can read this process' CPU time from /proc at the same moments.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { createPasswordHasher, type PasswordHasherOptions } from '@ashchat/backend';

const { concurrency, ...params } = JSON.parse(process.argv[2] ?? '{}') as PasswordHasherOptions & { concurrency: number };
const hasher = createPasswordHasher(params);
let done = 0;
let running = true;
const worker = async (): Promise<void> => {
  while (running) {
    await hasher.hash(randomBytes(12).toString('base64url'));
    done += 1;
  }
};
const workers = Array.from({ length: concurrency }, worker);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const seq = /^count (\d+)$/.exec(line.trim())?.[1];
  if (seq !== undefined) process.stdout.write(`count ${seq} ${done}\n`);
});
lines.on('close', () => {
  running = false;
  void Promise.all(workers).then(() => process.exit(0));
});
process.stdout.write('ready\n');
