import t from 'tap';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';
import { parse } from 'yaml';
import { Value } from '@sinclair/typebox/value';
import { WS_CLIENT_FRAMES, WS_CLOSE_CODES, WsServerFrame } from '@ashchat/contracts';
import { renderWebSocketAsyncApi } from './asyncapi.websocket.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const text = renderWebSocketAsyncApi();
const raw = parse(text) as Json;

t.test('the document is valid AsyncAPI 3.0 (no error diagnostics)', async (t) => {
  const { document, diagnostics } = await new Parser().parse(text);
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
  t.same(errors, []);
  t.ok(document, 'parsed');
  t.equal(document?.channels().all()[0]?.address(), '/v1/ws');
});

t.test('every client frame is a received message, every server frame a sent one or an answer', async (t) => {
  const messages = Object.values(raw.components.messages as Record<string, Json>);
  const clientTypes = messages.filter((m) => String(m.title).includes('client → server')).map((m) => m.name as string);
  const serverTypes = messages.filter((m) => String(m.title).includes('server → client')).map((m) => m.name as string);
  t.same(clientTypes.sort(), Object.keys(WS_CLIENT_FRAMES).sort());
  const flatten = (s: Json): Json[] => (s.anyOf ? (s.anyOf as Json[]).flatMap(flatten) : [s]);
  t.same(serverTypes.sort(), flatten(WsServerFrame as Json).map((s) => s.properties.type.const as string).sort());
  const ops = Object.values(raw.operations as Record<string, Json>);
  t.equal(ops.filter((o) => o.action === 'receive').length, clientTypes.length, 'one receive operation per client frame');
  for (const op of ops.filter((o) => o.action === 'receive')) t.same(op.reply.messages.length, 2, 'answered by ack or error');
});

t.test('payloads are the contracts: a frame the gateway accepts validates against its documented payload', async (t) => {
  const payload = (name: string): Json => (Object.values(raw.components.messages as Record<string, Json>).find((m) => m.name === name && String(m.title).includes('client')) as Json).payload;
  const send = { type: 'message.send', requestId: 'r1', conversationId: '665f1c2ab3d4e5f6a7b8c9d0', body: 'hi', clientMessageId: 'c1' };
  t.ok(Value.Check(WS_CLIENT_FRAMES['message.send'], send), 'valid by the contract');
  t.same(payload('message.send').required.sort(), [...(WS_CLIENT_FRAMES['message.send'].required ?? [])].sort());
  t.notOk(text.includes('$id'), 'no $id left inside payloads');
});

t.test('every close code is documented', async (t) => {
  for (const { code } of Object.values(WS_CLOSE_CODES)) t.match(raw.info.description, `| ${code} |`);
});
