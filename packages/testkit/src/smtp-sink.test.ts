import t, { type Test } from 'tap';
import nodemailer from 'nodemailer';
import { createMailbox, getInfra, startSmtpSink, uniqueName, type MailDetail, type MailList } from './index.js';

async function startSink(t: Test, opts: Parameters<typeof startSmtpSink>[0] = {}) {
  const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0, ...opts });
  t.teardown(() => sink.close());
  const transport = nodemailer.createTransport({ url: sink.smtpUri, ignoreTLS: true });
  t.teardown(() => transport.close());
  return { sink, transport };
}

async function getJson<T = MailList>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

t.test('a sent mail is readable through the Mailpit-shaped API', async (t) => {
  const { sink, transport } = await startSink(t);
  await transport.sendMail({
    from: '"AshChat" <no-reply@ashchat.test>',
    to: '"Ada" <ada@example.com>',
    cc: 'cc@example.com',
    bcc: 'hidden@example.com',
    subject: 'Your code 123456',
    text: 'Your code is 123456',
    html: '<p>Your code is <b>123456</b></p>',
  });

  const list = await getJson(`${sink.mailApiUrl}/api/v1/messages`);
  t.equal(list.status, 200);
  t.match(list.body, { total: 1, unread: 1, count: 1, messages_count: 1, start: 0, tags: [] });
  const summary = list.body.messages[0]!;
  t.match(summary, {
    From: { Name: 'AshChat', Address: 'no-reply@ashchat.test' },
    To: [{ Name: 'Ada', Address: 'ada@example.com' }],
    Cc: [{ Address: 'cc@example.com' }],
    Bcc: [{ Address: 'hidden@example.com' }],
    Subject: 'Your code 123456',
    Read: false,
    Attachments: 0,
    Snippet: 'Your code is 123456',
  });
  t.ok(!Number.isNaN(Date.parse(summary.Created)), 'Created is an ISO date');
  t.ok(summary.Size > 0, 'Size is the raw size');

  const one = await getJson<MailDetail>(`${sink.mailApiUrl}/api/v1/message/${summary.ID}`);
  t.equal(one.status, 200);
  t.match(one.body, {
    ID: summary.ID,
    Subject: 'Your code 123456',
    To: [{ Address: 'ada@example.com' }],
    Text: 'Your code is 123456',
    HTML: '<p>Your code is <b>123456</b></p>',
    ReturnPath: 'no-reply@ashchat.test',
    Attachments: [],
    Inline: [],
  });
  const after = await getJson(`${sink.mailApiUrl}/api/v1/messages`);
  t.equal(after.body.unread, 0, 'reading a message marks it read, like Mailpit');
});

t.test('paging, search, delete and 404', async (t) => {
  const { sink, transport } = await startSink(t);
  for (const to of ['a@example.com', 'b@example.com', 'a@example.com']) {
    await transport.sendMail({ from: 'x@ashchat.test', to, subject: `for ${to}`, text: 'hi' });
  }
  const page = await getJson(`${sink.mailApiUrl}/api/v1/messages?start=1&limit=1`);
  t.match(page.body, { total: 3, count: 1, messages_count: 3, start: 1 });
  const all = await getJson(`${sink.mailApiUrl}/api/v1/messages`);
  t.same(all.body.messages.map((m) => m.To[0]!.Address), ['a@example.com', 'b@example.com', 'a@example.com'], 'newest first');
  t.equal(page.body.messages[0]!.ID, all.body.messages[1]!.ID);

  const found = await getJson(`${sink.mailApiUrl}/api/v1/search?query=${encodeURIComponent('to:a@example.com')}`);
  t.match(found.body, { count: 2, messages_count: 2, total: 3 });

  const missing = await getJson<{ error: string }>(`${sink.mailApiUrl}/api/v1/message/does-not-exist`);
  t.equal(missing.status, 404);
  t.match(missing.body, { error: /not found/ });

  const del = await fetch(`${sink.mailApiUrl}/api/v1/messages`, {
    method: 'DELETE',
    body: JSON.stringify({ IDs: [all.body.messages[0]!.ID] }),
  });
  t.equal(del.status, 200);
  t.equal(sink.messages().length, 2, 'one message deleted by ID');
  await fetch(`${sink.mailApiUrl}/api/v1/messages`, { method: 'DELETE' });
  t.equal(sink.messages().length, 0, 'DELETE without body deletes all');

  const bad = await fetch(`${sink.mailApiUrl}/api/v1/messages`, { method: 'DELETE', body: '{"IDs": 5}' });
  t.equal(bad.status, 400, 'malformed body is a 4xx');
});

t.test('AUTH is accepted, oversize mail is refused, memory is bounded', async (t) => {
  const { sink } = await startSink(t, { maxMessageBytes: 2_000, maxMessages: 2 });
  const authed = nodemailer.createTransport({ url: sink.smtpUri, ignoreTLS: true, auth: { user: 'any', pass: 'thing' } });
  t.teardown(() => authed.close());
  for (const i of [1, 2, 3]) await authed.sendMail({ from: 'x@ashchat.test', to: 'y@example.com', subject: `n${i}`, text: 'x' });
  t.same(sink.messages().map((m) => m.Subject), ['n3', 'n2'], 'only the newest maxMessages are kept');
  const refused = await authed
    .sendMail({ from: 'x@ashchat.test', to: 'y@example.com', subject: 'big', text: 'x'.repeat(10_000) })
    .then(() => undefined, (err: unknown) => err);
  t.match(refused, { responseCode: 552 }, 'the oversize mail is refused with 552');
  t.equal(sink.messages().length, 2, 'and not stored');
});

t.test('createMailbox.waitForMessage works against the resolved mail server', async (t) => {
  const { smtpUri, mailApiUrl } = await getInfra();
  const transport = nodemailer.createTransport({ url: smtpUri, ignoreTLS: true });
  t.teardown(() => transport.close());
  const mailbox = createMailbox(mailApiUrl);
  const to = `${uniqueName('user')}@example.com`;
  const waiting = mailbox.waitForMessage({ to, subjectIncludes: 'Welcome', timeoutMs: 10_000 });
  await transport.sendMail({ from: 'x@ashchat.test', to, subject: 'Other', text: 'not this one' });
  await transport.sendMail({ from: 'x@ashchat.test', to, subject: 'Welcome aboard', text: 'hello', html: '<p>hello</p>' });
  const mail = await waiting;
  t.equal(mail.Subject, 'Welcome aboard');
  t.equal(mail.To[0]?.Address, to);
  t.equal(mail.Text.trim(), 'hello');
  t.equal(mail.HTML, '<p>hello</p>');
  const listed = await mailbox.search(`to:${to}`);
  t.equal(listed.length, 2, 'search finds both mails to that address');
  await t.rejects(mailbox.waitForMessage({ to: `${uniqueName('nobody')}@example.com`, timeoutMs: 300 }), /timed out/);
});
