import t from 'tap';
import { buildTestApp } from './app.test-support.js';
import { directConversation, sendMessage, signedInUser } from './chat/chat.test-support.js';
import { RICH_TEXT } from './text.test-support.js';

/*
 * The text rule of @ashchat/contracts through the real app on the real infrastructure: forbidden
 * characters in any text field answer 400 INVALID_TEXT naming the field (before, NUL reached
 * FerretDB and answered 500, zero-width characters made look-alike nicknames), invalid UTF-8 answers
 * 400 INVALID_ENCODING (before, it was silently replaced by U+FFFD), and real-world text is kept
 * exactly as sent.
 */
const app = await buildTestApp(t);
const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);
const conversation = await directConversation(ada, bob);
const message = await sendMessage(ada, conversation, 'to be edited', 'text-rule-seed');

interface ErrorBody {
  code: string;
  details?: Array<{ in: string; path: string; message: string }>;
}

const registration = (fields: Record<string, unknown>) => ({
  email: 'text-rule@example.org',
  password: 'correct horse battery staple',
  nickname: 'Text Rule',
  preferredLanguage: 'en',
  ...fields,
});

const cases: Array<{ name: string; method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: unknown; signedIn: boolean; path: string; in?: string }> = [
  { name: 'NUL in the e-mail of a registration', method: 'POST', url: '/v1/registrations', payload: registration({ email: 'nul\u0000x@example.org' }), signedIn: false, path: '/email' },
  { name: 'NUL in the e-mail of a sign-in', method: 'POST', url: '/v1/sessions', payload: { email: 'nul\u0000x@example.org', password: 'whatever-it-is', deviceId: ada.deviceId }, signedIn: false, path: '/email' },
  { name: 'NUL in the password of a sign-in', method: 'POST', url: '/v1/sessions', payload: { email: ada.email, password: `${ada.password}\u0000`, deviceId: ada.deviceId }, signedIn: false, path: '/password' },
  { name: 'NUL in a device name', method: 'POST', url: '/v1/sessions', payload: { email: ada.email, password: ada.password, deviceId: ada.deviceId, deviceName: 'lap\u0000top' }, signedIn: false, path: '/deviceName' },
  { name: 'NUL in a group name', method: 'POST', url: '/v1/conversations', payload: { type: 'group', name: 'Engine\u0000room', members: [bob.id] }, signedIn: true, path: '/name' },
  { name: 'a zero-width space in a group name', method: 'POST', url: '/v1/conversations', payload: { type: 'group', name: 'Engine\u200Broom', members: [] }, signedIn: true, path: '/name' },
  { name: 'NUL in a message body', method: 'POST', url: `/v1/conversations/${conversation}/messages`, payload: { body: 'x\u0000y', clientMessageId: 'nul-1' }, signedIn: true, path: '/body' },
  { name: 'an escape character in a message body', method: 'POST', url: `/v1/conversations/${conversation}/messages`, payload: { body: 'red \u001B[31m', clientMessageId: 'esc-1' }, signedIn: true, path: '/body' },
  { name: 'NUL in a message edit', method: 'PATCH', url: `/v1/conversations/${conversation}/messages/${message.id}`, payload: { body: 'x\u0000y' }, signedIn: true, path: '/body' },
  { name: 'NUL in a user search', method: 'GET', url: '/v1/users?query=ad%00a', signedIn: true, path: '/query', in: 'querystring' },
  { name: 'a zero-width space in a new nickname', method: 'POST', url: '/v1/registrations', payload: registration({ nickname: 'Al\u200Bice' }), signedIn: false, path: '/nickname' },
  { name: 'a right-to-left override in a new nickname', method: 'POST', url: '/v1/registrations', payload: registration({ nickname: 'Ada \u202Eecalevol' }), signedIn: false, path: '/nickname' },
  { name: 'a zero-width space in a changed nickname', method: 'PATCH', url: '/v1/me', payload: { nickname: 'Al\u200Bice' }, signedIn: true, path: '/nickname' },
  { name: 'a right-to-left override in a changed nickname', method: 'PATCH', url: '/v1/me', payload: { nickname: 'Ada \u202Eecalevol' }, signedIn: true, path: '/nickname' },
  { name: 'NUL in a profile description', method: 'PATCH', url: '/v1/me', payload: { description: 'x\u0000y' }, signedIn: true, path: '/description' },
];

for (const c of cases) {
  t.test(`${c.name}: 400 INVALID_TEXT naming the field`, async (t) => {
    const res = await app.inject({
      method: c.method,
      url: c.url,
      headers: c.signedIn ? ada.session.headers : {},
      ...(c.payload === undefined ? {} : { payload: c.payload as object }),
    });
    t.equal(res.statusCode, 400, res.body);
    const body = res.json<ErrorBody>();
    t.equal(body.code, 'INVALID_TEXT');
    t.match(body.details, [{ in: c.in ?? 'body', path: c.path }]);
  });
}

t.test('a lone surrogate escaped in the JSON text: 400 INVALID_TEXT', async (t) => {
  // JSON.stringify would escape it the same way; written out so the request is exactly this text.
  const payload = '{"body":"half \\ud800 a pair","clientMessageId":"lone-1"}';
  const res = await app.inject({
    method: 'POST',
    url: `/v1/conversations/${conversation}/messages`,
    headers: { ...ada.session.headers, 'content-type': 'application/json' },
    payload,
  });
  t.equal(res.statusCode, 400, res.body);
  t.match(res.json(), { code: 'INVALID_TEXT', details: [{ in: 'body', path: '/body' }] });
});

t.test('invalid UTF-8 in a JSON body: 400 INVALID_ENCODING, never replaced by U+FFFD', async (t) => {
  const invalid = [
    Buffer.from([0xff]), // never valid
    Buffer.from([0xc3]), // a sequence cut short
    Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate (CESU-8)
    Buffer.from([0xc0, 0xaf]), // an overlong '/'
  ];
  for (const bytes of invalid) {
    const payload = Buffer.concat([Buffer.from('{"body":"a'), bytes, Buffer.from('b","clientMessageId":"utf8-1"}')]);
    const res = await app.inject({
      method: 'POST',
      url: `/v1/conversations/${conversation}/messages`,
      headers: { ...ada.session.headers, 'content-type': 'application/json' },
      payload,
    });
    t.equal(res.statusCode, 400, bytes.toString('hex'));
    t.equal(res.json<ErrorBody>().code, 'INVALID_ENCODING', bytes.toString('hex'));
  }
  const unauthenticated = await app.inject({
    method: 'POST',
    url: '/v1/sessions',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    payload: Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xff]), Buffer.from('@example.org","password":"x"}')]),
  });
  t.equal(unauthenticated.statusCode, 400);
  t.equal(unauthenticated.json<ErrorBody>().code, 'INVALID_ENCODING', 'also before any sign-in');
});

t.test('the JSON parser keeps its other refusals', async (t) => {
  const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/v1/sessions', headers: { 'content-type': 'application/json', ...headers }, payload });
  t.equal((await post('{"email":')).json<ErrorBody>().code, 'MALFORMED_JSON', 'broken JSON');
  t.equal((await post('')).json<ErrorBody>().code, 'MALFORMED_JSON', 'empty body');
  const poisoned = await post('{"email":"a@example.org","password":"x","__proto__":{"admin":true}}');
  t.equal(poisoned.statusCode, 400, 'prototype poisoning is still refused');
  const huge = await post(JSON.stringify({ email: 'a@example.org', password: 'x'.repeat(2 * 1024 * 1024) }));
  t.equal(huge.statusCode, 413, 'the body limit still applies');
  t.equal(huge.json<ErrorBody>().code, 'PAYLOAD_TOO_LARGE');
  const bom = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ email: ada.email, password: ada.password, deviceId: ada.deviceId }))]));
  t.equal(bom.statusCode, 201, 'a UTF-8 byte order mark is valid UTF-8 and still accepted');
});

t.test('other validation failures stay VALIDATION_FAILED', async (t) => {
  const tooLong = await ada.call('POST', `/v1/conversations/${conversation}/messages`, { body: 'x'.repeat(4001), clientMessageId: 'long-1' });
  t.match(tooLong.json(), { code: 'VALIDATION_FAILED', details: [{ path: '/body' }] });
  const blank = await ada.call('POST', `/v1/conversations/${conversation}/messages`, { body: ' \t\n ', clientMessageId: 'blank-1' });
  t.match(blank.json(), { code: 'VALIDATION_FAILED', details: [{ path: '/body' }] }, 'tabs and line breaks are text, a blank body is not a message');
  const markup = await ada.call('PATCH', '/v1/me', { nickname: '<b>Ada</b>' });
  t.match(markup.json(), { code: 'VALIDATION_FAILED', details: [{ path: '/nickname' }] });
});

t.test('emoji, ZWJ sequences, combining marks and Arabic are accepted and kept exactly', async (t) => {
  const sent = await ada.call('POST', `/v1/conversations/${conversation}/messages`, { body: RICH_TEXT, clientMessageId: 'rich-1' });
  t.equal(sent.statusCode, 201, sent.body);
  t.equal(sent.json<{ body: string }>().body, RICH_TEXT);
  const page = await bob.call('GET', `/v1/conversations/${conversation}/messages?limit=1`);
  const stored = page.json<{ items: Array<{ body: string }> }>().items[0]?.body;
  t.equal(stored, RICH_TEXT, 'read back by the other member as sent');
  t.same(Buffer.from(stored ?? '', 'utf8'), Buffer.from(RICH_TEXT, 'utf8'), 'byte for byte');
  const edited = await ada.call('PATCH', `/v1/conversations/${conversation}/messages/${message.id}`, { body: `${RICH_TEXT}\nsecond line\twith a tab` });
  t.equal(edited.statusCode, 200, edited.body);
  const renamed = await ada.call('PATCH', '/v1/me', { nickname: 'Zoë 李 مرحبا ❤\uFE0F' });
  t.equal(renamed.statusCode, 200, renamed.body);
  t.equal(renamed.json<{ nickname: string }>().nickname, 'Zoë 李 مرحبا ❤\uFE0F');
});
