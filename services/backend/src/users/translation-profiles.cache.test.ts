import t from 'tap';
import { createTranslationProfilesCache, type TranslationProfile } from './translation-profiles.cache.js';

function fakeUsers(profiles: Record<string, TranslationProfile>) {
  const reads: string[][] = [];
  return {
    reads,
    async translationProfilesOf(ids: readonly string[]) {
      reads.push([...ids]);
      return new Map(ids.flatMap((id) => (profiles[id] ? [[id, profiles[id]] as const] : [])));
    },
  };
}

const ES = { preferredLanguage: 'es', autoTranslate: true };
const FR = { preferredLanguage: 'fr', autoTranslate: false };

t.test('reads only what it does not hold, once per TTL; unknown ids are remembered too', async (t) => {
  let clock = 0;
  const users = fakeUsers({ bob: ES, carol: FR });
  const cache = createTranslationProfilesCache(users, { ttlMs: 1_000, now: () => clock });
  t.same([...(await cache.translationProfilesOf(['bob', 'ghost']))], [['bob', ES]]);
  t.same([...(await cache.translationProfilesOf(['bob', 'carol', 'ghost']))].sort(), [['bob', ES], ['carol', FR]]);
  t.same(users.reads, [['bob', 'ghost'], ['carol']], 'bob and the unknown id were not read again');
  clock = 1_000;
  await cache.translationProfilesOf(['bob']);
  t.same(users.reads.at(-1), ['bob'], 'read again once the TTL passed');
});

t.test('forget: the next read goes to the database', async (t) => {
  const profiles: Record<string, TranslationProfile> = { bob: ES };
  const users = fakeUsers(profiles);
  const cache = createTranslationProfilesCache(users, { ttlMs: 60_000 });
  await cache.translationProfilesOf(['bob']);
  profiles.bob = FR;
  t.same(await cache.translationProfilesOf(['bob']), new Map([['bob', ES]]), 'cached');
  const told: string[] = [];
  const stop = cache.onForget((id) => void told.push(id));
  cache.forget('bob');
  t.same(await cache.translationProfilesOf(['bob']), new Map([['bob', FR]]), 'read after forget');
  t.same(told, ['bob'], 'listeners hear of it (the conversation list cache drops its previews)');
  stop();
  cache.forget('bob');
  t.same(told, ['bob'], 'not after unsubscribing');
});

t.test('ttl 0 reads every time; maxEntries drops the oldest', async (t) => {
  const users = fakeUsers({ a: ES, b: ES, c: ES });
  const off = createTranslationProfilesCache(users, { ttlMs: 0 });
  await off.translationProfilesOf(['a']);
  await off.translationProfilesOf(['a']);
  t.equal(users.reads.length, 2);
  const small = createTranslationProfilesCache(users, { ttlMs: 60_000, maxEntries: 2 });
  await small.translationProfilesOf(['a', 'b', 'c']);
  users.reads.length = 0;
  await small.translationProfilesOf(['a', 'c']);
  t.same(users.reads, [['a']], 'a was the oldest and went');
});
