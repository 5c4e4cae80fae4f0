import t from 'tap';
import { createAccessTokenVerifier } from './access-token.verifier.js';

function setup(maxTokens = 10) {
  let clock = 1_000_000;
  const verified: string[] = [];
  const verify = createAccessTokenVerifier({
    verify: (token) => {
      verified.push(token);
      if (token.startsWith('bad')) throw new Error('bad signature');
      if (token.startsWith('odd')) return { sub: 1, sid: 's', exp: 2_000 };
      return { sub: `user-${token}`, sid: 'session', exp: 1_100, iat: 1_000 };
    },
    maxTokens,
    now: () => clock,
  });
  return { verify, verified, advance: (ms: number) => (clock += ms) };
}

t.test('a token is verified once and then remembered until it expires', async (t) => {
  const { verify, verified, advance } = setup();
  t.same(verify('a'), { sub: 'user-a', sid: 'session', exp: 1_100 });
  t.same(verify('a'), { sub: 'user-a', sid: 'session', exp: 1_100 });
  t.same(verified, ['a']);
  advance(99_999);
  verify('a');
  t.same(verified, ['a'], 'still valid 1 ms before exp');
  advance(1);
  t.throws(() => verify('a'), /expired/, 'the verifier is asked again at exp, and the expired token refused');
  t.same(verified, ['a', 'a']);
});

t.test('refusals are never remembered; tokens without our claims are refused', async (t) => {
  const { verify, verified } = setup();
  t.throws(() => verify('bad'), /bad signature/);
  t.throws(() => verify('bad'), /bad signature/);
  t.same(verified, ['bad', 'bad']);
  t.throws(() => verify('odd'), /not an access token/);
});

t.test('at most maxTokens are remembered, the oldest going first', async (t) => {
  const { verify, verified } = setup(2);
  verify('a');
  verify('b');
  verify('c');
  verify('b');
  verify('a');
  t.same(verified, ['a', 'b', 'c', 'a']);
});
