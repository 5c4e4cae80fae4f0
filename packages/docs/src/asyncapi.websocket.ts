/**
 * The AsyncAPI 3.0 document of the WebSocket API (`GET /v1/ws`), rendered from the frame contracts
 * in packages/contracts (ws.frames.ts, chat.events.ts), so a frame added there is documented here.
 * Seen from the backend: it *receives* client frames and *sends* server frames on one channel; a
 * client frame's answer (`ack` or `error`, same requestId) is its operation's `reply`.
 */
import type { TSchema } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { WS_CLIENT_FRAMES, WS_CLOSE_CODES, WS_SUBPROTOCOL, WsAckFrame, WsErrorFrame, WsServerFrame } from '@ashchat/contracts';
import { ref, type Json } from './asyncapi.parts.js';

export const WS_ASYNCAPI_VERSION = '1.0.0';
const CHANNEL = 'ws';

/** Plain JSON Schema: symbol keys dropped, every `$id` turned into a `title` (no base URIs inside a payload). */
function plain(schema: TSchema): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const { $id, ...rest } = node as Json;
    const out: Json = typeof $id === 'string' ? { title: $id } : {};
    for (const [key, value] of Object.entries(rest)) out[key] = walk(value);
    return out;
  };
  return walk(JSON.parse(JSON.stringify(schema))) as Json;
}

/** The `type` literal of a frame schema. */
function frameType(schema: TSchema): string {
  const literal = (schema as { properties?: { type?: { const?: unknown } } }).properties?.type?.const;
  if (typeof literal !== 'string') throw new Error(`frame schema ${String(schema.$id)} has no literal type`);
  return literal;
}

/** Every server frame schema, unions (ChatEvent) flattened. */
function serverFrames(): TSchema[] {
  const flatten = (s: TSchema): TSchema[] => {
    const members = (s as { anyOf?: TSchema[] }).anyOf;
    return members ? members.flatMap(flatten) : [s];
  };
  return flatten(WsServerFrame);
}

const messageId = (direction: 'client' | 'server', type: string): string =>
  `${direction}.${type}`.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase()).replace(/\W/g, '');

function describeInfo(): string {
  const codes = Object.entries(WS_CLOSE_CODES)
    .sort(([, a], [, b]) => a.code - b.code)
    .map(([name, { code, description }]) => `| ${code} | ${name} | ${description} |`);
  return [
    'Generated from `packages/contracts` (`ws.frames.ts`, `chat.events.ts`) by `packages/docs/src/asyncapi.websocket.ts`. Do not edit by hand. The protocol in prose: `services/backend/src/realtime/README.md`.',
    '',
    '## Connecting',
    `Open \`/v1/ws\` and authenticate with the access token: either offer the subprotocols \`${WS_SUBPROTOCOL}\` and \`ashchat.bearer.<accessToken>\` (the server selects \`${WS_SUBPROTOCOL}\`), or send an \`auth\` frame first. Before authentication only \`auth\`, \`ping\` and \`registration.watch\` are accepted.`,
    '',
    '## Frames',
    'Every frame is one JSON text message with a `type`. A client frame may carry a `requestId`; the answer (`ack` or `error`) repeats it. Events (`message.new`, `typing`, …) reach every connection of every member, whichever instance it is on. After a reconnect, `resume` replays what was missed, in order and without duplicates.',
    '',
    '## Close codes',
    '| code | name | meaning and what the client should do |',
    '|---|---|---|',
    ...codes,
  ].join('\n');
}

export function buildWebSocketAsyncApi(): Json {
  const client = Object.values(WS_CLIENT_FRAMES) as TSchema[];
  const server = serverFrames();
  const messages: Json = {};
  const channelMessages: Json = {};
  const add = (direction: 'client' | 'server', schema: TSchema): string => {
    const type = frameType(schema);
    const id = messageId(direction, type);
    messages[id] = {
      name: type,
      title: `${type} (${direction === 'client' ? 'client → server' : 'server → client'})`,
      ...(typeof schema.description === 'string' ? { summary: schema.description } : {}),
      contentType: 'application/json',
      payload: plain(schema),
    };
    channelMessages[id] = ref('components', 'messages', id);
    return id;
  };
  const clientIds = client.map((s) => add('client', s));
  const serverIds = server.map((s) => add('server', s));
  const answerIds = [WsAckFrame, WsErrorFrame].map((s) => messageId('server', frameType(s)));

  const operations: Json = {};
  for (const id of clientIds) {
    operations[`receive${id.replace(/^client/, '')}`] = {
      action: 'receive',
      channel: ref('channels', CHANNEL),
      messages: [ref('channels', CHANNEL, 'messages', id)],
      reply: { channel: ref('channels', CHANNEL), messages: answerIds.map((a) => ref('channels', CHANNEL, 'messages', a)) },
    };
  }
  for (const id of serverIds.filter((s) => !answerIds.includes(s))) {
    operations[`send${id.replace(/^server/, '')}`] = { action: 'send', channel: ref('channels', CHANNEL), messages: [ref('channels', CHANNEL, 'messages', id)] };
  }

  return {
    asyncapi: '3.0.0',
    info: { title: 'AshChat WebSocket API', version: WS_ASYNCAPI_VERSION, description: describeInfo() },
    defaultContentType: 'application/json',
    servers: {
      local: { host: 'localhost:3000', protocol: 'ws', description: 'The backend of `pnpm dev` (behind TLS in production: wss).' },
    },
    channels: {
      [CHANNEL]: {
        address: '/v1/ws',
        title: 'The WebSocket connection',
        description: 'One connection per device; every frame of both directions travels on it.',
        messages: channelMessages,
        bindings: {
          ws: {
            method: 'GET',
            headers: {
              type: 'object',
              properties: {
                'Sec-WebSocket-Protocol': {
                  type: 'string',
                  description: `\`${WS_SUBPROTOCOL}, ashchat.bearer.<accessToken>\` to authenticate at the upgrade (never logged); or only \`${WS_SUBPROTOCOL}\` and an \`auth\` frame`,
                },
              },
            },
            bindingVersion: '0.1.0',
          },
        },
      },
    },
    operations,
    components: { messages },
  };
}

export function renderWebSocketAsyncApi(): string {
  const header = '# GENERATED FILE: do not edit. Source: packages/docs/src/asyncapi.websocket.ts\n';
  return header + stringify(buildWebSocketAsyncApi(), { lineWidth: 0, aliasDuplicateObjects: false });
}
