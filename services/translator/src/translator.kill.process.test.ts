// Process-level: a translator killed (SIGKILL) after the engine answered and before its reply went
// out. Its request was never acked, so the broker hands it to the next translator: exactly one reply.
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { TranslationReply } from '@ashchat/contracts';
import { startEntry, within } from '@ashchat/testkit';
import { loadTranslatorConfig } from './config.js';
import { createTranslator } from './translator.js';
import { startRequester, testEnv, translationRequest } from './translator.test-support.js';

const child = fileURLToPath(new URL('./translator-kill.test-support.ts', import.meta.url));

t.test('SIGKILL between the engine and the reply: the next translator answers, once', async (t) => {
  const env = await testEnv();
  const requester = await startRequester(env.QUEUE_NAMESPACE!);
  t.teardown(() => requester.close());

  const doomed = startEntry(child, { ...env, PATH: process.env.PATH ?? '' });
  t.teardown(() => void doomed.child.kill('SIGKILL'));
  await doomed.waitForOutput(/translator started/);
  const request = translationRequest({ text: 'Good morning, see you at the station tomorrow', targets: ['es'] });
  await requester.send(request);
  t.equal(await within(doomed.exited, 30_000, 'the child killing itself'), 'SIGKILL', 'killed after the engine answered');
  t.equal(requester.replies.length, 0, 'it died before replying');

  const translator = await createTranslator(loadTranslatorConfig({ env, envFile: false }));
  t.teardown(() => translator.close());
  await translator.start({ listen: false });
  const reply = (await requester.reply(request.requestId, 30_000)) as TranslationReply;
  t.match(reply, { requestId: request.requestId, results: [{ target: 'es', status: 'translated', text: /Buenos días/ }] });

  // A later request answered means the queue has been worked past the first: a second reply to it
  // would have come by now (one consumer, the same connection order).
  const marker = translationRequest({ text: 'The cat', targets: ['es'] });
  await requester.send(marker);
  await requester.reply(marker.requestId, 30_000);
  t.equal(requester.replies.filter((r) => r.correlationId === request.requestId).length, 1, 'exactly one reply to the killed request');
});
