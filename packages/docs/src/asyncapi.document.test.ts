import t from 'tap';
import { Parser, DiagnosticSeverity, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { parse, stringify } from 'yaml';
import {
  DEAD_LETTER_REASON_HEADER,
  MESSAGING_CATALOGUE,
  REQUEST_REPLY_CONVENTION,
  type CatalogueQueue,
} from '@ashchat/contracts';
import { deadLetterQueueFor, workQueue } from '@ashchat/messaging';
import { correlationIdOf } from '@ashchat/saga';
import { verifierQueues } from '@ashchat/verifier';
import { translatorQueues } from '@ashchat/translator';
import { BACKEND_EVENT_QUEUES, SAGA_DOCS, TRANSLATION_BACKEND_QUEUES, queueRoutes } from '@ashchat/backend';
import { REPLY_TO_CHANNEL, buildAsyncApi, renderAsyncApi } from './asyncapi.document.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NAMESPACE = 'asyncapi-test';
const text = renderAsyncApi();
const raw = parse(text) as Json;

/** Error-severity diagnostics of the AsyncAPI parser, one readable line each. */
async function parseStrict(source: string): Promise<{ document: AsyncAPIDocumentInterface | undefined; errors: string[] }> {
  const { document, diagnostics } = await new Parser().parse(source);
  const errors = diagnostics
    .filter((d) => d.severity === DiagnosticSeverity.Error)
    .map((d) => `${d.code} at ${d.path.join('.') || '(root)'}: ${d.message}`);
  return { document, errors };
}

const stripNamespace = (name: string): string => {
  if (!name.startsWith(`${NAMESPACE}.`)) throw new Error(`queue "${name}" is not under the namespace`);
  return name.slice(NAMESPACE.length + 1);
};
const withDeadLetters = (queues: string[]): string[] => queues.flatMap((q) => [q, deadLetterQueueFor(q)]);
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
const refTo = (...path: string[]): Json => ({ $ref: `#/${path.join('/')}` });
// Parsed once: the parser takes a while, and every test reads the same document.
const parsed = parseStrict(text);
// What the backend's sagas send (their outbox queues) and where their replies come back: each saga
// plugin hands exactly these to hostSaga, which declares them under QUEUE_NAMESPACE (queueRoutes).
// …and the translation requests, answered on the backend's translation reply queue.
const backendSends = sorted([...SAGA_DOCS.flatMap((e) => Object.keys(e.definition.messages)), ...TRANSLATION_BACKEND_QUEUES.sends]);
const backendReplies = sorted([...SAGA_DOCS.flatMap((e) => (e.replies ? [e.replies.queue] : [])), ...TRANSLATION_BACKEND_QUEUES.replies]);
const isReply = (id: string): boolean => MESSAGING_CATALOGUE.some((q) => q.messages.some((m) => m.reply?.schema.$id === id));

t.test('the AsyncAPI parser accepts the document with no error diagnostics', async (t) => {
  const { document, errors } = await parsed;
  t.same(errors, [], `diagnostics:\n${errors.join('\n')}`);
  t.ok(document, 'a document came out');
  t.equal(document?.version(), '3.0.0');
  t.equal(document?.info().title(), 'AshChat messaging');
});

t.test('the same parser rejects a broken variant (the check above can fail)', async (t) => {
  const broken = buildAsyncApi() as Json;
  broken.operations['verifier.receiveAccountCreationRequest'].reply.address.location = 'replyTo';
  broken.operations['backend.sendAccountCreationRequest'].messages = [refTo('channels', 'CONFIRM_EMAIL_CODE_QUEUE', 'messages', 'ConfirmEmailCodeRequest')];
  const { errors } = await parseStrict(stringify(broken));
  t.match(errors.join('\n'), /location/);
  t.match(errors.join('\n'), /asyncapi3-operation-messages-from-referred-channel/);
});

t.test('every queue the services declare is a channel, and no other', async (t) => {
  const backend = Object.values(queueRoutes(NAMESPACE, [...backendSends, ...backendReplies, ...BACKEND_EVENT_QUEUES]));
  const verifier = Object.values(verifierQueues(NAMESPACE));
  const translator = Object.values(translatorQueues(NAMESPACE));
  const declared = sorted(withDeadLetters([...backend, ...verifier, ...translator]).map(stripNamespace));
  const { document } = await parsed;
  const addresses = (document?.channels().all() ?? []).flatMap((c) => {
    const address = c.address();
    return address ? [address] : [];
  });
  t.same(sorted(addresses), declared);
  t.equal(addresses.length, declared.length, 'one channel per queue');
  t.equal(raw.channels[REPLY_TO_CHANNEL].address, null, 'the replyTo channel has no fixed address');
});

t.test('work queues are quorum queues that dead-letter to the documented dead-letter channel', async (t) => {
  for (const q of MESSAGING_CATALOGUE) {
    const amqp = raw.channels[q.name].bindings.amqp;
    t.equal(amqp.is, 'queue');
    t.same(amqp.queue, { name: q.name, durable: true, exclusive: false, autoDelete: false });
    t.same(amqp['x-arguments'], workQueue(q.name).arguments, `${q.name}: the arguments messaging declares`);
    t.equal(amqp['x-arguments']['x-queue-type'], 'quorum');
    const dlq = raw.channels[amqp['x-arguments']['x-dead-letter-routing-key']];
    t.ok(dlq, `${q.name}: its dead-letter routing key is a channel`);
    t.equal(dlq?.bindings.amqp['x-bound-to'].exchange, amqp['x-arguments']['x-dead-letter-exchange']);
  }
});

t.test('senders and receivers in the catalogue are the ones the code wires', async (t) => {
  const verifier = verifierQueues('');
  const queuesWhere = (pick: (q: CatalogueQueue) => readonly string[], app: string): string[] =>
    sorted(MESSAGING_CATALOGUE.filter((q) => pick(q).includes(app)).map((q) => q.name));
  // The sagas' outboxes publish exactly these requests, with exactly these schemas.
  // …and the backend's own events (published and consumed by the backend).
  t.same(queuesWhere((q) => q.senders, 'backend'), sorted([...backendSends, ...BACKEND_EVENT_QUEUES]));
  for (const entry of SAGA_DOCS) {
    for (const [queue, schema] of Object.entries(entry.definition.messages)) {
      t.ok(MESSAGING_CATALOGUE.find((q) => q.name === queue)?.messages.some((m) => m.schema === schema), `${entry.definition.name}: ${queue} carries ${String(schema.$id)}`);
    }
    if (entry.replies) {
      t.equal(MESSAGING_CATALOGUE.find((q) => q.name === entry.replies?.queue)?.consumedAs, entry.replies.schema, `${entry.definition.name}: the reply consumer validates what the catalogue says arrives`);
    }
  }
  t.same(queuesWhere((q) => q.receivers, 'backend'), sorted([...backendReplies, ...BACKEND_EVENT_QUEUES]));
  t.same(queuesWhere((q) => q.receivers, 'verifier'), sorted(Object.values(verifier)));
  t.same(queuesWhere((q) => q.receivers, 'translator'), sorted(Object.values(translatorQueues(''))));
  // The verifier sends replies only: to whatever replyTo says, which a saga sets to its reply queue.
  for (const q of MESSAGING_CATALOGUE) for (const m of q.messages) if (m.reply) t.ok(backendReplies.includes(m.reply.queue), `${m.schema.$id} is answered on a backend reply queue`);
  t.equal(
    correlationIdOf('SAGA', 'REQ'),
    REQUEST_REPLY_CONVENTION.correlationId.replace('<sagaId>', 'SAGA').replace('<requestId>', 'REQ'),
    'the documented correlation id is the one the saga builds',
  );
});

t.test('every catalogue message is a message with its TypeBox schema as payload', async (t) => {
  const { document } = await parsed;
  const componentIds = new Set((document?.components().messages().all() ?? []).map((m) => m.id()));
  for (const q of MESSAGING_CATALOGUE) {
    for (const m of q.messages) {
      const id = m.schema.$id;
      t.ok(componentIds.has(id), `${id} is a component message`);
      const message = raw.components.messages[id];
      const { title, ...rest } = message.payload;
      t.same({ $id: title, ...rest }, JSON.parse(JSON.stringify(m.schema)), `${id}: payload is the schema`);
      t.same(raw.channels[q.name].messages[id], refTo('components', 'messages', id), `${id} is on ${q.name}`);
      t.same(raw.components.correlationIds.sagaRequest.location, '$message.header#/correlationId');
      if (m.reply || isReply(id)) t.same(message.correlationId, refTo('components', 'correlationIds', 'sagaRequest'), `${id} has the correlation id`);
      else t.notOk(message.correlationId, `${id} is one way: no correlation id`);
    }
    const dead = raw.components.messages[`${q.consumedAs.$id}DeadLetter`];
    t.ok(dead?.headers.properties[DEAD_LETTER_REASON_HEADER], `${q.name}: dead letters carry the reason header`);
    t.same(dead?.payload.anyOf.slice(0, -1), q.messages.map((m) => refTo('components', 'messages', m.schema.$id, 'payload')));
  }
});

t.test('every operation the catalogue implies exists, and every request has its reply', async (t) => {
  const { document } = await parsed;
  const ops = new Map((document?.operations().all() ?? []).map((op) => [op.id() ?? '', op]));
  const expected: string[] = [];
  for (const q of MESSAGING_CATALOGUE) {
    for (const receiver of q.receivers) {
      const id = `${receiver}.receive${q.consumedAs.$id}`;
      const deadLetter = `${receiver}.deadLetter${q.consumedAs.$id}`;
      expected.push(id, deadLetter);
      t.equal(ops.get(id)?.action(), 'receive', id);
      t.equal(ops.get(id)?.channels().all()[0]?.address(), q.name, `${id} reads ${q.name}`);
      t.equal(ops.get(deadLetter)?.channels().all()[0]?.address(), deadLetterQueueFor(q.name), `${deadLetter} writes the dead-letter queue`);
      t.equal(ops.get(id)?.extensions().get('x-ashchat-application')?.value(), receiver);
    }
    for (const m of q.messages) {
      if (isReply(m.schema.$id)) continue;
      for (const sender of q.senders) {
        const id = `${sender}.send${m.schema.$id}`;
        expected.push(id);
        const op = ops.get(id);
        t.equal(op?.action(), 'send', id);
        t.equal(op?.extensions().get('x-ashchat-application')?.value(), sender);
        if (!m.reply) continue;
        t.equal(op?.reply()?.channel()?.address(), m.reply.queue, `${id}: the reply comes on ${m.reply.queue}`);
        t.same(op?.reply()?.messages().all().map((r) => r.id()), [m.reply.schema.$id], `${id}: replied with ${m.reply.schema.$id}`);
      }
      if (!m.reply) continue;
      // The responder side: the reply goes where replyTo points (the catalogue's reply senders are these receivers).
      for (const receiver of q.receivers) {
        const reply = ops.get(`${receiver}.receive${q.consumedAs.$id}`)?.reply();
        t.equal(reply?.address()?.location(), '$message.header#/replyTo', `${receiver} answers ${m.schema.$id} at replyTo`);
        t.ok(reply?.messages().all().some((r) => r.id() === m.reply?.schema.$id), `${receiver} answers with ${m.reply.schema.$id}`);
      }
    }
  }
  t.same(sorted(ops.keys()), sorted(expected), 'no operation beyond those');
});

t.test('rendering is deterministic', async (t) => {
  t.equal(renderAsyncApi(), text);
  t.notMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'no timestamps');
  t.notMatch(text, /[:-] [&*]a\d+\b/, 'no YAML anchors or aliases');
  t.ok(text.endsWith('\n'));
});
