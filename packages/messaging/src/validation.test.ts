import t from 'tap';
import { Type } from '@sinclair/typebox';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_REASON_HEADER } from '@ashchat/contracts';
import type { AsyncMessage } from 'rabbitmq-client';
import { redactAmqpUrl } from './connection.js';
import { deadLetterEnvelope, decodeJson, ORIGINAL_QUEUE_HEADER, rawBody } from './dead-letter.js';
import { deadLetterQueueFor, DELIVERY_LIMIT, workQueue } from './topology.js';
import { assertValid, compileSchema, formatValidationErrors, InvalidMessageError, MAX_REASON_LENGTH, validationReason } from './validation.js';

const Schema = Type.Object(
  { id: Type.String({ minLength: 1 }), count: Type.Integer({ minimum: 0 }), tags: Type.Array(Type.String()) },
  { additionalProperties: false },
);

t.test('a valid value has no reason', async (t) => {
  t.equal(validationReason(Schema, { id: 'a', count: 1, tags: [] }), undefined);
});

t.test('reason lists paths and messages of the first errors and counts the rest', async (t) => {
  const reason = validationReason(Schema, { id: '', count: -1, tags: [1, 2, 3], extra: 'secret-value' });
  t.ok(reason);
  t.match(reason, /^schema validation failed: /);
  t.match(reason, /\/id: Expected string length greater or equal to 1/);
  t.match(reason, /\/count: Expected integer to be greater or equal to 0/);
  t.match(reason, /\(\+\d+ more\)$/);
  t.equal(reason?.split('; ').length, 3, 'lists three errors');
  t.notMatch(reason, /secret-value/, 'values never appear in a reason');
});

t.test('a wrong root type is reported at "/"', async (t) => {
  t.match(validationReason(Schema, 'just a string'), /^schema validation failed: \/: Expected object/);
});

t.test('formatting without errors and with very long messages stays bounded', async (t) => {
  t.equal(formatValidationErrors([]), 'schema validation failed');
  const check = compileSchema(Type.Object({ [`k${'x'.repeat(2000)}`]: Type.String() }));
  const reason = formatValidationErrors(check.Errors({}));
  t.ok(reason.length <= MAX_REASON_LENGTH, 'truncated to the header budget');
});

t.test('compiled checks are cached per schema object', async (t) => {
  t.equal(compileSchema(Schema), compileSchema(Schema));
});

t.test('assertValid throws InvalidMessageError naming the queue', async (t) => {
  t.throws(() => assertValid('q1', Schema, { id: 'a' }), InvalidMessageError);
  t.throws(() => assertValid('q1', Schema, { id: 'a' }), { message: /refusing to publish an invalid message to "q1": .*\/count/ });
});

t.test('decodeJson handles parsed, raw, text and encoded bodies', async (t) => {
  t.same(decodeJson({ body: { a: 1 }, contentType: 'application/json' }), { ok: true, value: { a: 1 } });
  t.same(decodeJson({ body: Buffer.from('{"a":1}'), contentType: undefined }), { ok: true, value: { a: 1 } });
  t.same(decodeJson({ body: Buffer.from('{nope'), contentType: 'application/json' }), { ok: false, reason: 'invalid JSON' });
  t.same(decodeJson({ body: '[1,2]', contentType: 'text/plain' }), { ok: true, value: [1, 2] });
  t.same(decodeJson({ body: 'plain words', contentType: 'text/plain' }), { ok: false, reason: 'invalid JSON' });
  t.same(decodeJson({ body: 'a json string', contentType: 'application/json' }), { ok: true, value: 'a json string' });
  t.same(decodeJson({ body: Buffer.from('x'), contentType: 'application/json', contentEncoding: 'gzip' }), {
    ok: false,
    reason: 'unsupported content-encoding "gzip"',
  });
});

t.test('rawBody returns bytes for every body shape', async (t) => {
  t.same(rawBody(Buffer.from('ab')), Buffer.from('ab'));
  t.same(rawBody('ab'), Buffer.from('ab'));
  t.same(rawBody({ a: 1 }), Buffer.from('{"a":1}'));
});

t.test('a dead-letter envelope keeps properties and headers and adds the reason', async (t) => {
  const msg = {
    body: Buffer.from('{'),
    consumerTag: 'c',
    deliveryTag: 1,
    exchange: '',
    redelivered: false,
    routingKey: 'orders',
    contentType: 'application/json',
    correlationId: 'corr-1',
    messageId: 'm-1',
    replyTo: 'replies',
    expiration: '1000',
    headers: { 'x-trace': 'abc' },
  } satisfies AsyncMessage;
  const env = deadLetterEnvelope('orders', msg, 'invalid JSON');
  t.equal(env.exchange, DEAD_LETTER_EXCHANGE);
  t.equal(env.routingKey, deadLetterQueueFor('orders'));
  t.equal(env.durable, true);
  t.equal(env.correlationId, 'corr-1');
  t.equal(env.messageId, 'm-1');
  t.equal(env.replyTo, 'replies');
  t.equal(env.contentType, 'application/json');
  t.equal(env.expiration, undefined, 'a dead letter never expires');
  t.equal(env.headers?.['x-trace'], 'abc');
  t.equal(env.headers?.[DEAD_LETTER_REASON_HEADER], 'invalid JSON');
  t.equal(env.headers?.[ORIGINAL_QUEUE_HEADER], 'orders');
  t.notOk('timestamp' in env, 'undefined properties are not copied');
});

t.test('workQueue is a quorum queue with a bounded delivery count and a dead-letter path', async (t) => {
  t.same(workQueue('orders'), {
    queue: 'orders',
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': DELIVERY_LIMIT,
      'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
      'x-dead-letter-routing-key': 'orders.dead-letter',
    },
  });
});

t.test('URLs are redacted before logging', async (t) => {
  t.equal(redactAmqpUrl('amqp://guest:s3cret@rabbit:5672/vh'), 'amqp://guest:***@rabbit:5672/vh');
  t.equal(redactAmqpUrl('amqp://rabbit:5672'), 'amqp://rabbit:5672');
  t.equal(redactAmqpUrl('not a url with s3cret'), '<invalid AMQP URL>');
});
