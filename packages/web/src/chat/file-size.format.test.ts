import t from 'tap';
import { sizeLabel } from './file-size.format.js';

t.test('sizes in bytes, KB and MB with the language’s decimal mark', async (t) => {
  t.equal(sizeLabel(512, 'en'), '512 B');
  t.equal(sizeLabel(1536, 'en'), '1.5 KB');
  t.equal(sizeLabel(1536, 'de'), '1,5 KB');
  t.equal(sizeLabel(200 * 1024, 'fr'), '200 KB');
  t.equal(sizeLabel(1.5 * 1024 * 1024, 'en'), '1.5 MB');
  t.equal(sizeLabel(1.5 * 1024 * 1024, 'es'), '1,5 MB');
  t.equal(sizeLabel(1.5 * 1024 * 1024, 'fr'), '1,5 MB');
});

t.test('thousands are grouped as the language does', async (t) => {
  t.equal(sizeLabel(1200 * 1024 * 1024, 'en'), '1,200.0 MB');
  t.equal(sizeLabel(1200 * 1024 * 1024, 'de'), '1.200,0 MB');
});
