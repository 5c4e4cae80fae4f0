import { Type, type Static } from '@sinclair/typebox';
import { LineString } from './common.schema.js';

/**
 * The one catalogue of error codes clients can rely on. The HTTP status belongs to the code, so
 * every route answers the same condition the same way.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  // The one text rule (common.schema.ts): what no text field may contain, whatever the contract.
  INVALID_TEXT: {
    status: 400,
    message: 'The text contains characters that are not allowed (control, invisible or formatting characters, or unpaired surrogates).',
  },
  INVALID_ENCODING: { status: 400, message: 'The request body is not valid UTF-8.' },
  WEAK_PASSWORD: { status: 400, message: 'The password is too easy to guess; choose another.' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request did not arrive in time.' },
  URI_TOO_LONG: { status: 414, message: 'The URL is too long.' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send application/json.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry later.' },
  // First 401: the error handler maps a bare 401 (e.g. from @fastify/jwt) to it.
  UNAUTHENTICATED: { status: 401, message: 'Sign in first: a valid access token is required.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The e-mail address or the password is wrong.' },
  INVALID_REFRESH_TOKEN: { status: 401, message: 'The refresh token is not valid; sign in again.' },
  SESSION_BUSY: { status: 409, message: 'The session is being refreshed; retry shortly.' },
  PROFILE_BUSY: { status: 409, message: 'The profile is being changed; retry shortly.' },
  REGISTRATION_NOT_FOUND: { status: 404, message: 'No such registration.' },
  REGISTRATION_EXPIRED: { status: 410, message: 'The registration expired; start again.' },
  REGISTRATION_LOCKED: { status: 423, message: 'Too many wrong codes; the registration is locked.' },
  REGISTRATION_FAILED: { status: 410, message: 'The registration could not be completed; start again.' },
  REGISTRATION_ALREADY_COMPLETED: { status: 409, message: 'The registration is already completed.' },
  INVALID_CODE: { status: 422, message: 'The code is not valid.' },
  RESEND_COOLDOWN: { status: 429, message: 'A code was sent recently; retry later.' },
  RESEND_LIMIT_REACHED: { status: 429, message: 'No more codes can be sent; start again.' },
  REGISTRATION_PENDING: { status: 409, message: 'The code is still being sent; retry shortly.' },
  VERIFICATION_IN_PROGRESS: { status: 409, message: 'A code is already being checked; wait for its result.' },
  REGISTRATION_BUSY: { status: 409, message: 'The registration is being updated; retry shortly.' },
  NOT_READY: { status: 503, message: 'Not ready.' },
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong on our side.' },
  // Listed after NOT_READY: the error handler maps a bare 503 to the first code with that status.
  VERIFIER_UNAVAILABLE: { status: 503, message: 'The code could not be checked right now; submit it again.' },
  // A dependency of every request is unreachable (with Retry-After); /ready names which one.
  DATABASE_UNAVAILABLE: { status: 503, message: 'The database cannot be reached right now; retry shortly.' },
  REDIS_UNAVAILABLE: { status: 503, message: 'A storage service cannot be reached right now; retry shortly.' },
  // Chat. Conversations the caller is not a member of answer CONVERSATION_NOT_FOUND: their existence stays hidden.
  CONVERSATION_NOT_FOUND: { status: 404, message: 'No such conversation.' },
  MESSAGE_NOT_FOUND: { status: 404, message: 'No such message in this conversation.' },
  MEMBER_NOT_FOUND: { status: 404, message: 'The user is not a member of this conversation.' },
  MEMBERS_NOT_FOUND: { status: 404, message: 'Some of the members are not users.' },
  SELF_CONVERSATION: { status: 400, message: 'A direct conversation needs another user.' },
  INVALID_CURSOR: { status: 400, message: 'The cursor is not valid; start from the first page.' },
  NOT_CONVERSATION_OWNER: { status: 403, message: 'Only the owner of the group may do this.' },
  NOT_MESSAGE_SENDER: { status: 403, message: 'Only the sender may change a message.' },
  DIRECT_CONVERSATION_FIXED: { status: 409, message: 'A direct conversation keeps its two members.' },
  OWNER_CANNOT_LEAVE: { status: 409, message: 'The owner cannot leave a group that has other members.' },
  MESSAGE_DELETED: { status: 409, message: 'The message was deleted.' },
  INVALID_EMOJI: { status: 400, message: 'A reaction is exactly one emoji.' },
  REACTION_LIMIT_REACHED: { status: 409, message: 'This message has as many different reactions as it can take; react with one of them.' },
  // Files (files/): attachments and avatars.
  ATTACHMENT_TOO_LARGE: { status: 413, message: 'The file is larger than allowed.' },
  ATTACHMENT_NOT_FOUND: { status: 404, message: 'No such attachment in this conversation.' },
  ATTACHMENT_UNAVAILABLE: { status: 409, message: 'An attachment was already sent, or was not uploaded by the sender into this conversation.' },
  FILE_MISSING: { status: 400, message: 'Send one file as multipart/form-data (field "file").' },
  IMAGE_REQUIRED: { status: 415, message: 'The file is not an image this server accepts (png, jpeg, gif, webp).' },
  IMAGE_TOO_LARGE: { status: 422, message: 'The image has too many pixels.' },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'The requested range is not satisfiable.' },
  AVATAR_NOT_FOUND: { status: 404, message: 'The user has no avatar.' },
  // Message search: a query needs at least one word of two or more characters.
  INVALID_SEARCH_QUERY: { status: 400, message: 'The search needs at least one word of two or more characters.' },
  // Same answer for an unknown id and a message of another conversation: neither reveals the other.
  REPLY_TARGET_NOT_FOUND: { status: 400, message: 'replyTo names no message of this conversation.' },
  // Mute and block. USER_BLOCKED does not say who blocked whom: the direct conversation is visible to both anyway.
  USER_BLOCKED: { status: 403, message: 'You cannot message this user.' },
  SELF_BLOCK: { status: 400, message: 'You cannot block yourself.' },
  USER_NOT_FOUND: { status: 404, message: 'No such user.' },
  MUTE_IN_PAST: { status: 400, message: 'A mute must end in the future (or be null: until unmuted).' },
  // WebSocket frames (/v1/ws): a frame whose `type` the protocol does not know; presence not served by this instance.
  UNKNOWN_FRAME_TYPE: { status: 400, message: 'Unknown frame type.' },
  PRESENCE_UNAVAILABLE: { status: 503, message: 'Presence is not available right now; retry later.' },
  // Account lifecycle: password reset and device challenge (code flows), sessions, devices, deletion.
  PASSWORD_RESET_NOT_FOUND: { status: 404, message: 'No such password reset.' },
  DEVICE_CHALLENGE_NOT_FOUND: { status: 404, message: 'No such device challenge.' },
  CODE_FLOW_EXPIRED: { status: 410, message: 'The code expired; start again.' },
  CODE_FLOW_LOCKED: { status: 423, message: 'Too many wrong codes; start again.' },
  CODE_FLOW_FAILED: { status: 410, message: 'The code could not be mailed; start again.' },
  CODE_FLOW_DENIED: { status: 410, message: 'The account owner refused this sign-in.' },
  CODE_FLOW_COMPLETED: { status: 409, message: 'This was already completed.' },
  CODE_FLOW_PENDING: { status: 409, message: 'The code is still being sent; retry shortly.' },
  CODE_FLOW_BUSY: { status: 409, message: 'This is being updated; retry shortly.' },
  INVALID_DENIAL_TOKEN: { status: 403, message: 'The link is not valid for this sign-in.' },
  WRONG_PASSWORD: { status: 403, message: 'The current password is wrong.' },
  SESSION_NOT_FOUND: { status: 404, message: 'No such session.' },
  DEVICE_NOT_FOUND: { status: 404, message: 'No such device.' },
  ACCOUNT_DELETION_NOT_FOUND: { status: 404, message: 'No such account deletion.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** Shape of every error body (compatible with Fastify's default error shape). */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer({ description: 'The HTTP status of the response, repeated', examples: [404] }),
    // Typed as a string (clients must tolerate codes added later); documented as the catalogue.
    code: Type.String({ enum: ERROR_CODES, description: 'Stable machine-readable code from the error catalogue' }),
    error: LineString({ description: 'HTTP reason phrase', examples: ['Not Found'] }),
    message: LineString({ description: 'Human-readable explanation (English); not meant to be parsed', examples: ['No such registration.'] }),
    details: Type.Optional(
      Type.Unknown({
        description:
          'More about the refusal, where the code has more to say: `VALIDATION_FAILED` lists `[{ in, path, message }]`; ' +
          '`INVALID_CODE` has `attemptsLeft`, `RATE_LIMITED`, `DATABASE_UNAVAILABLE` and `REDIS_UNAVAILABLE` `retryAfterMs`, `RESEND_COOLDOWN` `resendAvailableAt`, `REGISTRATION_FAILED` `reason`, `CODE_FLOW_FAILED` `reason`',
      }),
    ),
  },
  {
    $id: 'ErrorResponse',
    description: 'Every refusal and failure: the `code` decides the HTTP status (see the error catalogue).',
    examples: [{ statusCode: 404, code: 'REGISTRATION_NOT_FOUND', error: 'Not Found', message: 'No such registration.' }],
  },
);
export type ErrorResponse = Static<typeof ErrorResponse>;
