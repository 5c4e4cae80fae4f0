/**
 * Test-only: the real translator (services/translator) in-process on a web harness's queue namespace,
 * translating with the machine's engine (TRANSLATION_URL from ashchat-infra, Apertium here), so the
 * backend's translation requests of that harness are answered as in production.
 */
import { getInfra } from '@ashchat/testkit';
import type { Teardown } from '../registration/registration.harness.test-support.js';
import { testTranslator } from '../translation/translation.test-support.js';

export async function startTestTranslator(t: Teardown, namespace: string): Promise<void> {
  const translator = testTranslator(await getInfra(), namespace);
  t.teardown(() => translator.stop());
  await translator.start();
}
