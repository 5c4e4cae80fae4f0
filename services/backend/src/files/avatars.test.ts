import t from 'tap';
import sharp from 'sharp';
import { buildTestApp } from '../app.test-support.js';
import { signedInUser } from '../chat/chat.test-support.js';
import { storedCounts, testImage, upload } from './files.test-support.js';

const app = await buildTestApp(t, { env: { AVATAR_MAX_BYTES: '100000' } });
const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);

t.test('avatar: put, get (versioned, cacheable), replace, delete', async (t) => {
  const put = await upload(app, ada, '/v1/me/avatar', 'me.jpg', 'image/jpeg', await testImage('jpeg', 600, 400), 'PUT');
  t.equal(put.statusCode, 200, put.body);
  const { avatarUrl } = put.json();
  t.match(avatarUrl, new RegExp(`^/v1/users/${ada.id}/avatar\\?v=[0-9a-f]{24}$`));
  const got = await bob.call('GET', avatarUrl);
  t.equal(got.statusCode, 200);
  t.equal(got.headers['content-type'], 'image/webp');
  t.equal(got.headers['x-content-type-options'], 'nosniff');
  t.match(got.headers['cache-control'], /immutable/);
  const meta = await sharp(got.rawPayload).metadata();
  t.same([meta.format, meta.width, meta.height], ['webp', 256, 256], 'a 256 px square');
  t.equal((await ada.call('GET', '/v1/me')).json().avatarUrl, avatarUrl, 'on the own profile');
  const direct = (await ada.call('POST', '/v1/conversations', { type: 'direct', members: [bob.id] })).json().id;
  const members = (await bob.call('GET', `/v1/conversations/${direct}/members`)).json().items;
  t.same(
    members.map((m: { userId: string; avatarUrl: string | null }) => [m.userId, m.avatarUrl]),
    [
      [ada.id, avatarUrl],
      [bob.id, null],
    ],
    'on member views',
  );
  const bare = await bob.call('GET', `/v1/users/${ada.id}/avatar`);
  t.match(bare.headers['cache-control'], /no-cache/);
  t.equal((await app.inject({ method: 'GET', url: avatarUrl })).statusCode, 401, 'signed-in users only');

  const files = (await storedCounts(app)).files;
  const replaced = await upload(app, ada, '/v1/me/avatar', 'me.png', 'image/png', await testImage('png', 100, 100), 'PUT');
  t.not(replaced.json().avatarUrl, avatarUrl, 'a new version');
  t.equal((await storedCounts(app)).files, files, 'the old one is deleted');
  t.equal((await bob.call('GET', replaced.json().avatarUrl)).statusCode, 200);

  const removed = await ada.call('DELETE', '/v1/me/avatar');
  t.same(removed.json(), { avatarUrl: null });
  const gone = await bob.call('GET', `/v1/users/${ada.id}/avatar`);
  t.equal(gone.statusCode, 404);
  t.equal(gone.json().code, 'AVATAR_NOT_FOUND');
  t.equal((await storedCounts(app)).files, files - 1);
  t.equal((await ada.call('DELETE', '/v1/me/avatar')).statusCode, 200, 'removing again changes nothing');
});

t.test('avatar refusals: not an image, too large, nothing stored', async (t) => {
  const before = await storedCounts(app);
  const html = await upload(app, bob, '/v1/me/avatar', 'me.png', 'image/png', Buffer.from('<html><script>1</script></html>'), 'PUT');
  t.equal(html.statusCode, 415);
  t.equal(html.json().code, 'IMAGE_REQUIRED');
  const big = await upload(app, bob, '/v1/me/avatar', 'big.png', 'image/png', Buffer.alloc(150_000, 1), 'PUT');
  t.equal(big.statusCode, 413);
  t.equal(big.json().code, 'ATTACHMENT_TOO_LARGE');
  t.same(await storedCounts(app), before);
});

t.test('account deletion step: the avatar goes', async (t) => {
  await upload(app, bob, '/v1/me/avatar', 'me.png', 'image/png', await testImage('png', 64, 64), 'PUT');
  await app.files.departure.deleteAvatar(bob.id);
  await app.files.departure.deleteAvatar(bob.id);
  t.equal((await ada.call('GET', `/v1/users/${bob.id}/avatar`)).statusCode, 404);
  t.equal(await app.mongo.db.collection('blobs.files').countDocuments({ 'metadata.ownerId': bob.id }), 0);
});
