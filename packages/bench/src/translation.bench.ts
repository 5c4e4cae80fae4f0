// `pnpm bench:translation`: (a) translations/s through the translator (its composition root in this
// process, default settings, real RabbitMQ, Redis and Apertium) with texts it has never seen, next
// to the bare engine answering the same kind of texts over HTTP; then the same translator answering
// texts it has cached. (b) message delivery latency (send → the recipient's `message.new`) with
// translation off and on, to show that translating does not delay delivery (translation.delivery.ts).
// A benchmark, not a test.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { createTranslator, loadTranslatorConfig } from '@ashchat/translator';
import { claimBenchRedisDb } from './bench.redis.js';
import { fmt, formatTable } from './bench.stats.js';
import { runDelivery, type DeliveryReport } from './translation.delivery.js';
import { bareApertium, benchSentence, closedLoop, startRequester, type LoadResult } from './translation.load.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32' },
    messages: { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
  },
});
const opt = { duration: Number(values.duration), warmup: Number(values.warmup), concurrency: Number(values.concurrency), messages: Number(values.messages) };
for (const [name, n] of Object.entries(opt)) {
  if (!Number.isFinite(n) || n < (name === 'warmup' ? 0 : 1)) {
    process.stderr.write(`--${name} must be a positive number\n`);
    process.exit(2);
  }
}
const log = (line: string): void => void process.stderr.write(`[bench:translation] ${line}\n`);
const window = { concurrency: opt.concurrency, warmupMs: opt.warmup * 1000, durationMs: opt.duration * 1000 };
/** Far from the translator's texts: the baseline never translates one of them. */
const BARE_OFFSET = 50_000_000;

const infra = await getInfra();
const namespace = uniqueName('bench-translation');
const redis = await claimBenchRedisDb(infra.redisUri, log);
const logger = pino({ level: 'warn' }, pino.destination(2));
let exitCode = 0;
const closers: (() => Promise<unknown>)[] = [];

async function translatorThroughput(): Promise<{ bare: LoadResult; translator: LoadResult; cached: LoadResult }> {
  const config = loadTranslatorConfig({
    envFile: false,
    env: {
      AMQP_URI: infra.amqpUri,
      REDIS_URI: redis.uri,
      TRANSLATION_URL: infra.translationUrl,
      TRANSLATION_PROVIDER: process.env.TRANSLATION_PROVIDER ?? 'apertium',
      QUEUE_NAMESPACE: namespace,
    },
  });
  const translator = await createTranslator(config, { logger, connectionName: 'ashchat-translator-bench' });
  closers.push(() => translator.close());
  await translator.start({ listen: false });
  const requester = await startRequester(infra.amqpUri, namespace);
  closers.push(() => requester.close());
  const translated = async (text: string): Promise<void> => {
    const results = await requester.translate(text, ['es']);
    if (results[0]?.status !== 'translated') throw new Error(`the reply says ${JSON.stringify(results)}`);
  };

  log(`bare Apertium: ${opt.concurrency} texts in flight, ${opt.warmup} s warm-up + ${opt.duration} s`);
  const bare = await closedLoop(window, (i) => bareApertium(infra.translationUrl, benchSentence(BARE_OFFSET + i)));
  log(`translator, texts never seen: ${opt.concurrency} requests in flight`);
  let seen = 0;
  const translator_ = await closedLoop(window, async (i) => {
    await translated(benchSentence(i));
    seen = Math.max(seen, i + 1);
  });
  // Only texts whose translation came back are surely in the cache: the first `completed` of them.
  const cachedTexts = Math.max(1, Math.min(seen, translator_.completed));
  log(`translator, cached texts (${cachedTexts} distinct)`);
  const cached = await closedLoop(window, (i) => translated(benchSentence(i % cachedTexts)));
  return { bare, translator: translator_, cached };
}

try {
  const throughput = await translatorThroughput();
  for (const close of closers.splice(0).reverse()) await close();
  const delivery: DeliveryReport = await runDelivery({ infra, redisUri: redis.uri, messages: opt.messages, log });
  const report = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), node: process.version, loadAverage1m: loadavg()[0] },
    options: { ...opt, pair: 'en → es', provider: process.env.TRANSLATION_PROVIDER ?? 'apertium' },
    runs: throughput,
    delivery,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const row = (name: string, r: LoadResult) => [name, fmt(r.perSecond, 1), fmt(r.latencyMs.p50), fmt(r.latencyMs.p99), String(r.completed), String(r.errors)];
    const lat = (name: string, r: DeliveryReport['off']) => [name, fmt(r.latencyMs.p50), fmt(r.latencyMs.p99), String(r.latencyMs.count)];
    process.stdout.write(
      `AshChat translation benchmark, ${report.date}\n${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}\n\n` +
        `en → es, ${opt.concurrency} in flight, ${opt.duration} s after ${opt.warmup} s warm-up\n` +
        formatTable([
          ['run', 'translations/s', 'p50 ms', 'p99 ms', 'completed', 'errors'],
          row('bare Apertium POST /translate', throughput.bare),
          row('translator, texts never seen', throughput.translator),
          row('translator, cached texts', throughput.cached),
        ]) +
        `\n\nmessage delivery (send → recipient's message.new), ${opt.messages} messages each\n` +
        formatTable([['translation', 'p50 ms', 'p99 ms', 'messages'], lat('off', delivery.off), lat('on (translator running)', delivery.on)]) +
        `\ntranslations received while on: ${delivery.on.translated} of ${delivery.on.requested}, send → message.translated p50 ${fmt(delivery.on.translationMs.p50)} ms, p99 ${fmt(delivery.on.translationMs.p99)} ms\n`,
    );
  }
  const failed = [throughput.bare, throughput.translator, throughput.cached].some((r) => r.completed === 0 || r.errors > 0);
  if (failed || delivery.on.translated < delivery.on.requested) {
    log('a run completed nothing or had errors, or translations did not reach the reader: see above');
    exitCode = 1;
  }
} catch (err) {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  exitCode = 1;
} finally {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  await redis.release();
}
process.exit(exitCode);
