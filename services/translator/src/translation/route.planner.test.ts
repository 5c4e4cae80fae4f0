import t from 'tap';
import { needsTranslation, planRoute, routeHops } from './route.planner.js';

const apertium = [
  { from: 'en', to: 'es' },
  { from: 'es', to: 'en' },
  { from: 'es', to: 'fr' },
  { from: 'fr', to: 'es' },
];

t.test('a direct pair needs no pivot', async (t) => {
  t.same(planRoute(apertium, 'en', 'es'), { via: [] });
  t.same(routeHops('en', 'es', { via: [] }), [{ from: 'en', to: 'es' }]);
});

t.test('without a direct pair, one pivot: en→fr through es, and back', async (t) => {
  t.same(planRoute(apertium, 'en', 'fr'), { via: ['es'] });
  t.same(planRoute(apertium, 'fr', 'en'), { via: ['es'] });
  t.same(routeHops('en', 'fr', { via: ['es'] }), [
    { from: 'en', to: 'es' },
    { from: 'es', to: 'fr' },
  ]);
});

t.test('no pair and no single pivot: no route (German, or two pivots away)', async (t) => {
  t.equal(planRoute(apertium, 'en', 'de'), null);
  t.equal(planRoute(apertium, 'de', 'en'), null);
  const chain = [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
    { from: 'c', to: 'd' },
  ];
  t.equal(planRoute(chain, 'a', 'd'), null, 'two pivots are not tried');
  t.equal(planRoute([], 'en', 'es'), null);
});

t.test('among several pivots, en first, then es, then by name', async (t) => {
  const pairs = [
    { from: 'ca', to: 'oc' },
    { from: 'oc', to: 'it' },
    { from: 'ca', to: 'es' },
    { from: 'es', to: 'it' },
    { from: 'ca', to: 'en' },
    { from: 'en', to: 'it' },
  ];
  t.same(planRoute(pairs, 'ca', 'it'), { via: ['en'] });
  t.same(planRoute(pairs.slice(0, 4), 'ca', 'it'), { via: ['es'] });
  t.same(planRoute(pairs.slice(0, 2), 'ca', 'it'), { via: ['oc'] });
});

t.test('only text with a letter goes to the engine', async (t) => {
  for (const text of ['', '   ', '👍🎉', '12:30 !!', '😀 100%']) t.notOk(needsTranslation(text), JSON.stringify(text));
  for (const text of ['ok', 'Ça va', 'привет 👋', '你好']) t.ok(needsTranslation(text), text);
});
