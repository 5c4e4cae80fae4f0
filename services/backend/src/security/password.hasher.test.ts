import t from 'tap';
import { hash } from '@node-rs/argon2';
import { createPasswordHasher, normalizePassword } from './password.hasher.js';

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

t.test('passwords are compared in NFC: composed and decomposed forms of one password match', async (t) => {
  const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const nfc = 'caf\u00e9 cr\u00e8me br\u00fbl\u00e9e';
  const nfd = nfc.normalize('NFD');
  t.not(nfc, nfd, 'the two forms differ as strings');
  t.equal(normalizePassword(nfd), nfc);
  t.equal(await hasher.verify(await hasher.hash(nfd), nfc), true, 'hashed NFD, verified NFC');
  t.equal(await hasher.verify(await hasher.hash(nfc), nfd), true, 'hashed NFC, verified NFD');
  t.equal(await hasher.verify(await hasher.hash(nfc), 'cafe creme brulee'), false, 'without the accents it is another password');
});

t.test('a hash made before normalisation (of the raw NFD bytes) still verifies with the raw form', async (t) => {
  const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const nfd = 'caf\u00e9 cr\u00e8me br\u00fbl\u00e9e'.normalize('NFD');
  const legacy = await hash(nfd, { algorithm: 2, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  t.equal(await hasher.verify(legacy, nfd), true, 'the raw form the user always typed');
  t.equal(await hasher.verify(legacy, 'wrong horse battery'), false);
});
