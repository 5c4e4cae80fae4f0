import t from 'tap';
import { CODE_LENGTH, generateVerificationCode, unguessableDigest } from './verification-code.js';

t.test('codes are six zero-padded digits', async (t) => {
  for (let i = 0; i < 2000; i++) {
    const code = generateVerificationCode();
    if (!/^\d{6}$/.test(code)) t.fail(`not six digits: ${JSON.stringify(code)}`);
  }
  t.equal(CODE_LENGTH, 6);
  t.equal(generateVerificationCode(() => Buffer.alloc(4)), '000000', 'zero padded');
  t.equal(generateVerificationCode(() => Buffer.from([0, 0, 0, 42])), '000042');
});

t.test('distribution sanity: every position is close to uniform, codes rarely repeat', async (t) => {
  const samples = 20_000;
  const counts = Array.from({ length: CODE_LENGTH }, () => new Array<number>(10).fill(0));
  const seen = new Set<string>();
  for (let i = 0; i < samples; i++) {
    const code = generateVerificationCode();
    seen.add(code);
    for (let p = 0; p < CODE_LENGTH; p++) counts[p]![Number(code[p])]!++;
  }
  const expected = samples / 10;
  for (let p = 0; p < CODE_LENGTH; p++) {
    const chi2 = counts[p]!.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: 50 is far beyond p = 1e-7, so only a real bias fails this.
    t.ok(chi2 < 50, `position ${p}: chi² ${chi2.toFixed(1)} < 50`);
  }
  // Birthday bound: ~200 collisions expected among 20 000 draws from 10^6.
  t.ok(seen.size > samples - 600, `${seen.size} distinct codes of ${samples}`);
});

t.test('injected randomness: rejection sampling skips the biased tail', async (t) => {
  const words = [0xffffffff, 0xfffffff0, 7];
  const drawn: number[] = [];
  const random = (n: number) => {
    t.equal(n, 4);
    const b = Buffer.alloc(4);
    const w = words.shift() ?? 0;
    drawn.push(w);
    b.writeUInt32BE(w);
    return b;
  };
  t.equal(generateVerificationCode(random), '000007');
  t.equal(drawn.length, 3, 'the two words above the unbiased limit were rejected');
  t.equal(generateVerificationCode(() => Buffer.from([0x00, 0x0f, 0x42, 0x3f])), '999999', '999 999 maps to itself');
  t.equal(generateVerificationCode(() => Buffer.from([0x00, 0x0f, 0x42, 0x40])), '000000', '10^6 wraps to 0');
});

t.test('unguessable digests are 32 random bytes in hex', async (t) => {
  const a = unguessableDigest();
  const b = unguessableDigest();
  t.match(a, /^[0-9a-f]{64}$/);
  t.not(a, b);
  t.equal(unguessableDigest((n) => Buffer.alloc(n, 0xab)), 'ab'.repeat(32));
});
