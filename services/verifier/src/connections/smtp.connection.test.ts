import t from 'tap';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { startSmtpSink } from '@ashchat/testkit';
import { createSmtpTransport } from './smtp.connection.js';

t.test('SMTP_EMAIL/SMTP_PASSWORD become the login and the mail goes out from MAIL_FROM', async (t) => {
  const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  t.teardown(() => sink.close());
  const smtp = createSmtpTransport({
    SMTP_URI: `${sink.smtpUri}?connectionTimeout=5000`,
    SMTP_EMAIL: 'sender@example.com',
    SMTP_PASSWORD: 'app-password',
    MAIL_FROM: 'AshChat <sender@example.com>',
  });
  t.teardown(() => smtp.close());
  const options = (smtp.transporter as SMTPTransport).options;
  t.same(options.auth, { user: 'sender@example.com', pass: 'app-password' });
  t.equal(options.connectionTimeout, 5000, 'options in the URL are kept');
  t.equal(options.greetingTimeout, 10_000, 'bounded defaults are kept');
  t.type(options.getSocket, 'function', 'plain SMTP connects a socket of ours (TCP_NODELAY)');
  t.equal((options as { pool?: boolean }).pool, true, 'sessions are pooled by default');

  await smtp.sendMail({ to: 'someone@example.com', subject: 'hello', text: 'body' });
  const [mail] = sink.messages();
  t.match(mail, { From: { Address: 'sender@example.com', Name: 'AshChat' }, Subject: 'hello' });
});

t.test('credentials in the URL are used when no SMTP_EMAIL is set', async (t) => {
  const smtp = createSmtpTransport({ SMTP_URI: 'smtps://user%40x.org:pw@mail.example.com:2465', MAIL_FROM: 'a@b.c' });
  t.teardown(() => smtp.close());
  const options = (smtp.transporter as SMTPTransport).options;
  t.same(options.auth, { user: 'user@x.org', pass: 'pw' });
  t.equal(options.secure, true);
  t.equal(options.port, 2465);
  t.equal(options.getSocket, undefined, 'implicit TLS keeps nodemailer’s own TLS socket');
});
