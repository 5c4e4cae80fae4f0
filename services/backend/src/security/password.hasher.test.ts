import t from 'tap';
import { createPasswordHasher } from './password.hasher.js';

t.test('argon2id hash verifies the right password only', async (t) => {
  const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const hashed = await hasher.hash('correct horse battery');
  t.match(hashed, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  t.notOk(hashed.includes('correct horse battery'));
  t.equal(await hasher.verify(hashed, 'correct horse battery'), true);
  t.equal(await hasher.verify(hashed, 'wrong horse battery'), false);
  t.equal(await hasher.verify('not a hash', 'x'), false, 'a malformed hash is a mismatch, not a crash');
  t.not(await hasher.hash('correct horse battery'), hashed, 'salted');
});
