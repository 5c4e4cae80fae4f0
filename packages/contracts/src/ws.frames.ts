import { Type, type Static, type TProperties, type TSchema } from '@sinclair/typebox';
import { described, IsoDateTime, LineString, Uuid } from './common.schema.js';
import { ChatEvent, PresenceEvent, TypingEvent } from './chat.events.js';
import { ERROR_CODES } from './errors.js';
import { MarkReadBody, MessageView, ObjectIdString, ReadState, SendMessageBody } from './messages.http.js';
import { RegistrationView } from './registration.http.js';

/**
 * The WebSocket protocol of GET /v1/ws: one JSON object per text frame, told apart by `type`.
 * services/backend/src/realtime/README.md explains the flow (authentication, resume, limits).
 */

/** The subprotocol a client offers (with its token as `ashchat.bearer.<jwt>`) and the server selects. */
export const WS_SUBPROTOCOL = 'ashchat.v1';
/** Prefix of the subprotocol entry that carries the access token; never echoed, never logged. */
export const WS_BEARER_PREFIX = 'ashchat.bearer.';
/**
 * Offered beside `ashchat.v1` by a client that sends `resume` as its first frame: only such a
 * connection has its live events held after authentication (until the resume). Never selected.
 */
export const WS_RESUME_SUBPROTOCOL = 'ashchat.resume';

export const RequestId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description: 'Chosen by the client; the `ack` or `error` answering the frame repeats it',
  examples: ['r-17'],
});

const requestId = Type.Optional(RequestId);
const frame = <T extends string, P extends TProperties>(type: T, properties: P, description: string) =>
  Type.Object({ type: Type.Literal(type), requestId, ...properties }, { $id: `Ws${pascal(type)}Frame`, additionalProperties: false, description });
function pascal(type: string): string {
  return type.replace(/(^|[.])([a-z])/g, (_m, _dot: string, c: string) => c.toUpperCase());
}

// ---- client → server -------------------------------------------------------------------------

const AccessToken = LineString({ minLength: 1, maxLength: 4096, description: 'The access token of POST /v1/sessions (or its refresh)' });

export const WsAuthFrame = frame(
  'auth',
  {
    accessToken: AccessToken,
    resume: Type.Optional(
      Type.Boolean({
        description:
          'true: a `resume` frame follows, so live events are held from authentication until it (as when `ashchat.resume` is offered as a subprotocol). Absent or false: live events are sent at once',
        examples: [true],
      }),
    ),
  },
  'Authenticates the connection (as its first frame), or extends it with a fresh token of the same user before the current one expires. Answered with `auth.ok`.',
);
export const WsPingFrame = frame('ping', {}, 'Answered with `pong` (application-level liveness; the server also pings at protocol level).');
export const WsMessageSendFrame = frame(
  'message.send',
  { conversationId: ObjectIdString, ...SendMessageBody.properties },
  'Sends a message, with the rules of POST /v1/conversations/{id}/messages (idempotent per clientMessageId). Acked with the stored message.',
);
export const WsMessageReadFrame = frame(
  'message.read',
  { conversationId: ObjectIdString, ...MarkReadBody.properties },
  'Moves the read marker forward, like POST /v1/conversations/{id}/read. Acked with the read state.',
);
export const WsTypingStartFrame = frame('typing.start', { conversationId: ObjectIdString }, 'Tells the other members the user is typing; repeat every few seconds while typing.');
export const WsTypingStopFrame = frame('typing.stop', { conversationId: ObjectIdString }, 'Tells the other members the user stopped typing.');
export const WsPresenceSubscribeFrame = frame(
  'presence.subscribe',
  { userIds: Type.Array(Uuid, { maxItems: 100, description: 'The users to follow; replaces the previous subscription of this connection (empty: none)' }) },
  'Follows the presence of some users: acked with their current presence, then `presence` frames as it changes. Only the user and those sharing a conversation with the user are followed; any other id (a stranger or no user at all, not told apart) is listed in the ack\'s `unavailable`. Membership changes apply to the subscription as they happen.',
);
export const ResumeCursor = Type.Object(
  {
    conversationId: ObjectIdString,
    lastMessageId: Type.Union([ObjectIdString, Type.Null()], { description: 'The newest message the client has of this conversation; null: none yet' }),
    lastSeq: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'Position (`seq`) up to which the client has every message of this conversation (0: none). Given, the replay is what was stored after it, in commit order, which never misses a message stored late by another instance; without it the replay follows ids (`lastMessageId`)',
        examples: [41],
      }),
    ),
  },
  { $id: 'WsResumeCursor', additionalProperties: false },
);
export type ResumeCursor = Static<typeof ResumeCursor>;
export const WsResumeFrame = frame(
  'resume',
  { cursors: Type.Array(ResumeCursor, { maxItems: 500, description: 'One per conversation the client knows' }) },
  'Replays, as `message.new` frames and in order, the messages of these conversations after each cursor; live events wait meanwhile and none is sent twice. Send it right after connecting.',
);
export const WsRegistrationWatchFrame = frame(
  'registration.watch',
  { registrationId: described(Uuid, 'The id POST /v1/registrations answered') },
  'Follows a registration (allowed before authentication: the id is the capability, as for GET /v1/registrations/{id}). Acked with its current view, then `registration.updated` frames until it ends.',
);

export const WsClientFrame = Type.Union(
  [WsAuthFrame, WsPingFrame, WsMessageSendFrame, WsMessageReadFrame, WsTypingStartFrame, WsTypingStopFrame, WsPresenceSubscribeFrame, WsResumeFrame, WsRegistrationWatchFrame],
  { $id: 'WsClientFrame', description: 'Every frame a client may send.' },
);
export type WsClientFrame = Static<typeof WsClientFrame>;
export type WsClientFrameType = WsClientFrame['type'];

/** The schema of each client frame type, for validating a frame once its `type` is known. */
export const WS_CLIENT_FRAMES = {
  auth: WsAuthFrame,
  ping: WsPingFrame,
  'message.send': WsMessageSendFrame,
  'message.read': WsMessageReadFrame,
  'typing.start': WsTypingStartFrame,
  'typing.stop': WsTypingStopFrame,
  'presence.subscribe': WsPresenceSubscribeFrame,
  resume: WsResumeFrame,
  'registration.watch': WsRegistrationWatchFrame,
} as const satisfies Record<WsClientFrameType, TSchema>;

// ---- server → client -------------------------------------------------------------------------

export const WsMessageSendResult = Type.Object(
  { created: Type.Boolean({ description: 'false: a retry of a clientMessageId already stored' }), message: MessageView },
  { $id: 'WsMessageSendResult' },
);
export const WsPresenceSnapshot = Type.Object(
  {
    presences: Type.Array(PresenceEvent),
    unavailable: Type.Array(Uuid, {
      description: 'Ids asked for that are not followed: users sharing no conversation with the subscriber and ids of no user alike',
    }),
  },
  { $id: 'WsPresenceSnapshot' },
);
export const WsResumeResult = Type.Object(
  {
    replayed: Type.Integer({ minimum: 0, description: 'Messages sent before this ack' }),
    incomplete: Type.Array(ObjectIdString, {
      description: 'Conversations with more missed messages than one resume replays: page their history over REST',
    }),
    skipped: Type.Array(ObjectIdString, {
      description: 'Cursors left out: conversations that do not exist or the user is not (or no longer) a member of',
    }),
  },
  { $id: 'WsResumeResult' },
);
export const WsRegistrationResult = Type.Object({ registration: RegistrationView }, { $id: 'WsRegistrationResult' });
export const WsEmptyResult = Type.Object({}, { $id: 'WsEmptyResult', description: 'typing.start / typing.stop' });

export const WsAckFrame = Type.Object(
  {
    type: Type.Literal('ack'),
    requestId,
    result: Type.Union([WsMessageSendResult, ReadState, WsPresenceSnapshot, WsResumeResult, WsRegistrationResult, WsEmptyResult]),
  },
  { $id: 'WsAckFrame', description: 'A client frame was carried out; `requestId` is the frame\'s (absent if it had none).' },
);
export const WsErrorFrame = Type.Object(
  {
    type: Type.Literal('error'),
    requestId,
    code: Type.String({ enum: ERROR_CODES, description: 'From the error catalogue (the same codes as REST)' }),
    message: LineString({ description: 'Human-readable; not meant to be parsed' }),
    details: Type.Optional(Type.Unknown({ description: 'As in ErrorResponse: `VALIDATION_FAILED` lists `[{ in, path, message }]`, `RATE_LIMITED` has `retryAfterMs`' })),
  },
  { $id: 'WsErrorFrame', description: 'A client frame was refused; the connection stays open.' },
);
export const WsPongFrame = Type.Object({ type: Type.Literal('pong'), requestId }, { $id: 'WsPongFrame' });
export const WsAuthOkFrame = Type.Object(
  { type: Type.Literal('auth.ok'), requestId, userId: Uuid, expiresAt: described(IsoDateTime, 'When the token expires: send a fresh one in an `auth` frame before') },
  { $id: 'WsAuthOkFrame', description: 'The connection is authenticated (or its authentication extended).' },
);
export const WsAuthExpiringFrame = Type.Object(
  { type: Type.Literal('auth.expiring'), expiresAt: IsoDateTime },
  { $id: 'WsAuthExpiringFrame', description: 'The token expires soon: refresh it and send it in an `auth` frame, or the connection closes (4419) at `expiresAt`.' },
);
export const WsRegistrationUpdatedFrame = Type.Object(
  { type: Type.Literal('registration.updated'), registration: RegistrationView },
  { $id: 'WsRegistrationUpdatedFrame', description: 'A watched registration changed.' },
);

export const WsServerFrame = Type.Union(
  [WsAckFrame, WsErrorFrame, WsPongFrame, WsAuthOkFrame, WsAuthExpiringFrame, ChatEvent, TypingEvent, PresenceEvent, WsRegistrationUpdatedFrame],
  { $id: 'WsServerFrame', description: 'Every frame the server sends.' },
);
export type WsServerFrame = Static<typeof WsServerFrame>;
export type WsAckFrame = Static<typeof WsAckFrame>;
export type WsErrorFrame = Static<typeof WsErrorFrame>;

// ---- close codes -----------------------------------------------------------------------------

/** Every close code the server uses, with what the client should do. */
export const WS_CLOSE_CODES = {
  NORMAL: { code: 1000, description: 'Closed on purpose (the client asked for it).' },
  GOING_AWAY: { code: 1001, description: 'The server is shutting down: reconnect (any instance) and resume.' },
  EVENTS_LOST: {
    code: 1012,
    description: 'The server lost its event feed for a moment, so events may not have reached this connection: reconnect (any instance) and resume.',
  },
  MESSAGE_TOO_BIG: { code: 1009, description: 'A frame was over the size limit (WS_MAX_FRAME_BYTES): do not send it again.' },
  INVALID_UTF8: { code: 1007, description: 'A text frame was not valid UTF-8 (frames are UTF-8 JSON text): do not send it again.' },
  INTERNAL_ERROR: { code: 1011, description: 'Unexpected server failure: reconnect with backoff and resume.' },
  TRY_AGAIN_LATER: { code: 1013, description: 'A dependency of the server (its event bus, Redis) is briefly unavailable: reconnect after a few seconds and resume.' },
  SLOW_CONSUMER: { code: 4008, description: 'The client did not read fast enough (send buffer full): reconnect and resume.' },
  RATE_LIMITED: { code: 4029, description: 'Frames kept coming over the rate limit: wait, then reconnect.' },
  UNAUTHENTICATED: { code: 4401, description: 'No valid access token (missing, malformed, wrong signature, or not sent in time): sign in or refresh, then reconnect.' },
  SESSION_REVOKED: { code: 4403, description: 'The session was signed out or revoked: sign in again; do not retry with the refresh token.' },
  TOKEN_EXPIRED: { code: 4419, description: 'The access token expired (at connect, or during the connection without a renewing `auth`): refresh, reconnect, resume.' },
} as const satisfies Record<string, { code: number; description: string }>;
export type WsCloseName = keyof typeof WS_CLOSE_CODES;
