/** The Apertium adapter against the real APy (TRANSLATION_URL from ashchat-infra). */
import t from 'tap';
import { closedPort, getInfra } from '@ashchat/testkit';
import { createApertiumEngine } from './apertium.engine.js';
import { EngineRefusedError, EngineUnavailableError } from './engine.js';

t.test('pairs in the contracts’ codes, variants left out', async (t) => {
  const engine = createApertiumEngine({ url: (await getInfra()).translationUrl, timeoutMs: 10_000 });
  const pairs = (await engine.pairs()).map((p) => `${p.from}>${p.to}`);
  for (const pair of ['en>es', 'es>en', 'es>fr', 'fr>es']) t.ok(pairs.includes(pair), pair);
  t.notOk(pairs.includes('en>fr'), 'no direct English → French pair');
  t.notOk(pairs.some((p) => p.includes('de')), 'no German');
  t.ok(pairs.every((p) => /^[a-z]{2,3}>[a-z]{2,3}$/.test(p)), 'no eng_US-style variant');
});

t.test('translates one text per call, a long one by POST', async (t) => {
  const engine = createApertiumEngine({ url: (await getInfra()).translationUrl, timeoutMs: 30_000 });
  const [morning, cat] = await engine.translate(['Good morning, see you at the station tomorrow', 'The cat'], 'en', 'es');
  t.match(morning, 'Buenos días');
  t.match(cat, /gato/i);
  const long = 'The big house is near the station and the cat sleeps in the garden. '.repeat(150);
  t.ok(long.length > 10_000, 'over 10 KB: would not fit a URL');
  const [translated] = await engine.translate([long], 'en', 'es');
  t.match(translated, /casa/);
  t.ok(translated!.length > 5_000);
});

t.test('a pair the engine lacks is refused; a closed port is unavailable', async (t) => {
  const engine = createApertiumEngine({ url: (await getInfra()).translationUrl, timeoutMs: 10_000 });
  await t.rejects(engine.translate(['Hello'], 'en', 'de'), EngineRefusedError);
  const gone = createApertiumEngine({ url: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 2_000 });
  await t.rejects(gone.pairs(), EngineUnavailableError);
  await t.rejects(gone.translate(['Hello'], 'en', 'es'), EngineUnavailableError);
});
