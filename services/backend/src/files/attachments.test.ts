import t from 'tap';
import sharp from 'sharp';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, signedInUser } from '../chat/chat.test-support.js';
import { storedCounts, testImage, upload } from './files.test-support.js';

const app = await buildTestApp(t, { env: { ATTACHMENT_MAX_BYTES: '200000', IMAGE_MAX_PIXELS: '1000000' } });
const [ada, bob, cy] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
const conversation = await directConversation(ada, bob);
const base = `/v1/conversations/${conversation}`;
const png = await testImage('png', 640, 480);

t.test('upload → send → a member downloads the file and its thumbnail', async (t) => {
  const up = await upload(app, ada, `${base}/attachments`, 'engine.png', 'image/png', png);
  t.equal(up.statusCode, 201, up.body);
  const view = up.json();
  t.match(view, { id: /^[0-9a-f]{24}$/, name: 'engine.png', contentType: 'image/png', size: png.length, image: { width: 640, height: 480 }, thumbnail: true });
  const sent = await ada.call('POST', `${base}/messages`, { body: 'The drawing', clientMessageId: 'with-file', attachmentIds: [view.id] });
  t.equal(sent.statusCode, 201, sent.body);
  t.same(sent.json().attachments, [view]);
  const page = (await bob.call('GET', `${base}/messages`)).json();
  t.same(page.items[0].attachments, [view], 'the message carries the attachment for every member');

  const file = await bob.call('GET', `${base}/attachments/${view.id}`);
  t.equal(file.statusCode, 200);
  t.ok(file.rawPayload.equals(png), 'the same bytes');
  t.equal(file.headers['content-type'], 'image/png');
  t.equal(file.headers['x-content-type-options'], 'nosniff');
  t.match(file.headers['content-disposition'], /^inline; filename="engine.png"; filename\*=UTF-8''engine.png$/);
  t.match(file.headers['content-security-policy'], /sandbox/);
  t.match(file.headers['cache-control'], /private/);
  t.ok(file.headers.etag);
  t.equal(file.headers['content-length'], String(png.length));

  const thumb = await bob.call('GET', `${base}/attachments/${view.id}/thumbnail`);
  t.equal(thumb.statusCode, 200);
  t.equal(thumb.headers['content-type'], 'image/webp');
  const meta = await sharp(thumb.rawPayload).metadata();
  t.equal(meta.format, 'webp');
  t.equal(meta.width, 320);
  t.equal(meta.height, 240);

  const again = await bob.call('GET', `${base}/attachments/${view.id}`);
  const notModified = await app.inject({ method: 'GET', url: `${base}/attachments/${view.id}`, headers: { ...bob.session.headers, 'if-none-match': String(again.headers.etag) } });
  t.equal(notModified.statusCode, 304);
});

t.test('a JPEG gets a thumbnail too; an attachments-only message has an empty body', async (t) => {
  const jpeg = await testImage('jpeg', 200, 800);
  const view = (await upload(app, ada, `${base}/attachments`, 'tall.jpg', 'application/octet-stream', jpeg)).json();
  t.match(view, { contentType: 'image/jpeg', image: { width: 200, height: 800 }, thumbnail: true });
  const thumb = await bob.call('GET', `${base}/attachments/${view.id}/thumbnail`);
  t.equal(thumb.statusCode, 404, 'not sent yet: only its uploader sees it');
  const own = await ada.call('GET', `${base}/attachments/${view.id}/thumbnail`);
  const meta = await sharp(own.rawPayload).metadata();
  t.same([meta.width, meta.height], [80, 320]);
  const sent = await ada.call('POST', `${base}/messages`, { clientMessageId: 'only-file', attachmentIds: [view.id] });
  t.equal(sent.statusCode, 201, sent.body);
  t.equal(sent.json().body, '');
  t.equal((await bob.call('GET', `${base}/attachments/${view.id}/thumbnail`)).statusCode, 200);
  const empty = await ada.call('POST', `${base}/messages`, { clientMessageId: 'nothing' });
  t.equal(empty.statusCode, 400);
  t.equal(empty.json().code, 'VALIDATION_FAILED');
  t.equal((await ada.call('POST', `${base}/messages`, { clientMessageId: 'nothing-2', attachmentIds: [] })).json().code, 'VALIDATION_FAILED');
});

t.test('non-members get 404 for upload and download', async (t) => {
  const before = await storedCounts(app);
  const up = await upload(app, cy, `${base}/attachments`, 'x.png', 'image/png', png);
  t.equal(up.statusCode, 404);
  t.equal(up.json().code, 'CONVERSATION_NOT_FOUND');
  t.same(await storedCounts(app), before, 'nothing stored');
  const view = (await upload(app, ada, `${base}/attachments`, 'x.png', 'image/png', png)).json();
  await ada.call('POST', `${base}/messages`, { body: 'x', clientMessageId: 'for-cy', attachmentIds: [view.id] });
  for (const url of [`${base}/attachments/${view.id}`, `${base}/attachments/${view.id}/thumbnail`]) {
    const res = await cy.call('GET', url);
    t.equal(res.statusCode, 404);
    t.equal(res.json().code, 'CONVERSATION_NOT_FOUND');
  }
  t.equal((await app.inject({ method: 'GET', url: `${base}/attachments/${view.id}` })).statusCode, 401);
  t.equal((await bob.call('GET', `${base}/attachments/665f1c2ab3d4e5f6a7b8c9d0`)).json().code, 'ATTACHMENT_NOT_FOUND');
});

t.test('an HTML file claiming to be a PNG is stored with its real type and served as a download', async (t) => {
  const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
  const up = await upload(app, ada, `${base}/attachments`, 'x.png', 'image/png', html);
  t.equal(up.statusCode, 201, up.body);
  const view = up.json();
  t.not(view.contentType, 'image/png');
  t.ok(['text/html', 'application/octet-stream'].includes(view.contentType), view.contentType);
  t.equal(view.image, null);
  t.equal(view.thumbnail, false);
  await ada.call('POST', `${base}/messages`, { clientMessageId: 'html', attachmentIds: [view.id] });
  const file = await bob.call('GET', `${base}/attachments/${view.id}`);
  t.equal(file.statusCode, 200);
  t.equal(file.headers['content-type'], view.contentType);
  t.match(file.headers['content-disposition'], /^attachment; /);
  t.equal(file.headers['x-content-type-options'], 'nosniff');
  t.match(file.headers['content-security-policy'], /sandbox/);
  t.equal((await bob.call('GET', `${base}/attachments/${view.id}/thumbnail`)).statusCode, 404);
});

t.test('oversize uploads: 413 and nothing stored', async (t) => {
  const before = await storedCounts(app);
  const big = Buffer.alloc(300_000, 7);
  const up = await upload(app, ada, `${base}/attachments`, 'big.bin', 'application/octet-stream', big);
  t.equal(up.statusCode, 413);
  t.equal(up.json().code, 'ATTACHMENT_TOO_LARGE');
  t.same(await storedCounts(app), before, 'no GridFS file, chunk or record');
  const wide = await testImage('png', 2000, 1000);
  const bomb = await upload(app, ada, `${base}/attachments`, 'wide.png', 'image/png', wide);
  t.equal(bomb.statusCode, 422, 'more pixels than IMAGE_MAX_PIXELS');
  t.equal(bomb.json().code, 'IMAGE_TOO_LARGE');
  t.same(await storedCounts(app), before);
  const none = await app.inject({ method: 'POST', url: `${base}/attachments`, headers: ada.session.headers, payload: { file: 'x' } });
  t.equal(none.statusCode, 400);
  t.equal(none.json().code, 'FILE_MISSING');
});

t.test('range requests: 206 for a satisfiable range, 416 otherwise', async (t) => {
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  const view = (await upload(app, ada, `${base}/attachments`, 'data.bin', 'application/octet-stream', bytes)).json();
  await ada.call('POST', `${base}/messages`, { clientMessageId: 'ranged', attachmentIds: [view.id] });
  const get = (range: string) => app.inject({ method: 'GET', url: `${base}/attachments/${view.id}`, headers: { ...bob.session.headers, range } });
  const part = await get('bytes=10-19');
  t.equal(part.statusCode, 206);
  t.equal(part.headers['content-range'], 'bytes 10-19/1000');
  t.ok(part.rawPayload.equals(bytes.subarray(10, 20)));
  const suffix = await get('bytes=-5');
  t.ok(suffix.rawPayload.equals(bytes.subarray(995)));
  const open = await get('bytes=990-');
  t.equal(open.headers['content-range'], 'bytes 990-999/1000');
  const beyond = await get('bytes=1000-1010');
  t.equal(beyond.statusCode, 416);
  t.equal(beyond.json().code, 'RANGE_NOT_SATISFIABLE');
  t.equal(beyond.headers['content-range'], 'bytes */1000');
  t.equal((await get('bytes=0-1,5-6')).statusCode, 200, 'several ranges: the whole file');
});

t.test('claims: own uploads of this conversation, once; a retried send keeps them', async (t) => {
  const other = await directConversation(ada, cy);
  const adas = (await upload(app, ada, `${base}/attachments`, 'a.txt', 'text/plain', Buffer.from('hello'))).json();
  const bobs = (await upload(app, bob, `${base}/attachments`, 'b.txt', 'text/plain', Buffer.from('hi'))).json();
  const wrongPlace = await ada.call('POST', `/v1/conversations/${other}/messages`, { clientMessageId: 'elsewhere', attachmentIds: [adas.id] });
  t.equal(wrongPlace.statusCode, 409);
  t.equal(wrongPlace.json().code, 'ATTACHMENT_UNAVAILABLE');
  t.equal((await ada.call('POST', `${base}/messages`, { clientMessageId: 'not-mine', attachmentIds: [bobs.id] })).json().code, 'ATTACHMENT_UNAVAILABLE');
  const first = await ada.call('POST', `${base}/messages`, { clientMessageId: 'claim-1', attachmentIds: [adas.id] });
  t.equal(first.statusCode, 201);
  const retry = await ada.call('POST', `${base}/messages`, { clientMessageId: 'claim-1', attachmentIds: [adas.id] });
  t.equal(retry.statusCode, 200);
  t.same(retry.json(), first.json());
  const reuse = await ada.call('POST', `${base}/messages`, { clientMessageId: 'claim-2', attachmentIds: [adas.id] });
  t.equal(reuse.json().code, 'ATTACHMENT_UNAVAILABLE');
  const racers = (await upload(app, ada, `${base}/attachments`, 'r.txt', 'text/plain', Buffer.from('race'))).json();
  const answers = await Promise.all(
    Array.from({ length: 5 }, (_, i) => ada.call('POST', `${base}/messages`, { clientMessageId: `race-${i}`, attachmentIds: [racers.id] })),
  );
  t.same(answers.map((a) => a.statusCode).filter((s) => s === 201), [201], 'one send wins the attachment');
});

t.test('deleting a message deletes its files', async (t) => {
  const view = (await upload(app, ada, `${base}/attachments`, 'gone.png', 'image/png', png)).json();
  const message = (await ada.call('POST', `${base}/messages`, { body: 'soon gone', clientMessageId: 'to-delete', attachmentIds: [view.id] })).json();
  const before = await storedCounts(app);
  const deleted = await ada.call('DELETE', `${base}/messages/${message.id}`);
  t.equal(deleted.statusCode, 200);
  t.same(deleted.json().attachments, []);
  t.same(await storedCounts(app), { files: before.files - 2, chunks: before.chunks - 2, attachments: before.attachments - 1 }, 'file, thumbnail and record');
  t.equal((await bob.call('GET', `${base}/attachments/${view.id}`)).statusCode, 404);
  const page = (await bob.call('GET', `${base}/messages`)).json();
  t.same(page.items.find((m: { id: string }) => m.id === message.id).attachments, []);
  t.equal((await ada.call('DELETE', `${base}/messages/${message.id}`)).statusCode, 200, 'deleting again changes nothing');
});

t.test('the sweep deletes unsent uploads and keeps sent ones', async (t) => {
  const unsent = (await upload(app, ada, `${base}/attachments`, 'left.txt', 'text/plain', Buffer.from('left behind'))).json();
  const sent = (await upload(app, ada, `${base}/attachments`, 'kept.txt', 'text/plain', Buffer.from('kept'))).json();
  await ada.call('POST', `${base}/messages`, { clientMessageId: 'kept', attachmentIds: [sent.id] });
  while ((await app.files.attachments.sweep(0, 100)) > 0);
  t.equal((await ada.call('GET', `${base}/attachments/${unsent.id}`)).statusCode, 404);
  t.equal((await bob.call('GET', `${base}/attachments/${sent.id}`)).statusCode, 200);
  t.equal(await app.mongo.db.collection('attachments').countDocuments({ sent: { $ne: true } }), 0, 'every upload left is sent');
  const late = await ada.call('POST', `${base}/messages`, { clientMessageId: 'late', attachmentIds: [unsent.id] });
  t.equal(late.json().code, 'ATTACHMENT_UNAVAILABLE');
});

t.test('an account deletion step deletes the user’s uploads', async (t) => {
  const dan = await signedInUser(app);
  const withDan = await directConversation(dan, bob);
  for (let i = 0; i < 3; i += 1) await upload(app, dan, `/v1/conversations/${withDan}/attachments`, `d${i}.png`, 'image/png', png);
  t.equal(await app.mongo.db.collection('attachments').countDocuments({ uploaderId: dan.id }), 3);
  while ((await app.files.departure.deleteUploads(dan.id, 2)).more);
  t.equal(await app.mongo.db.collection('attachments').countDocuments({ uploaderId: dan.id }), 0);
  t.equal(await app.mongo.db.collection('blobs.files').countDocuments({ 'metadata.ownerId': dan.id }), 0);
});
