import { TypeCompiler, ValueErrorType, type TypeCheck } from '@sinclair/typebox/compiler';
import { isTextFormat, RequestId, WS_CLIENT_FRAMES, type WsClientFrame, type WsClientFrameType } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';

type FrameChecks = { [K in WsClientFrameType]: TypeCheck<(typeof WS_CLIENT_FRAMES)[K]> };
const CHECKS = Object.fromEntries(Object.entries(WS_CLIENT_FRAMES).map(([type, schema]) => [type, TypeCompiler.Compile(schema)])) as FrameChecks;
const REQUEST_ID = TypeCompiler.Compile(RequestId);
/** Validation problems listed in an error frame at most (a huge invalid array must stay cheap). */
const MAX_LISTED = 5;
/** Validation problems looked at at most, for the same reason. */
const MAX_COUNTED = 100;

export type ParsedFrame = { ok: true; frame: WsClientFrame } | { ok: false; error: AppError; requestId: string | undefined };

const isKnownType = (type: unknown): type is WsClientFrameType => typeof type === 'string' && Object.hasOwn(CHECKS, type);

/**
 * One text frame as a client frame, or the refusal to answer it with. The request id is taken
 * from an otherwise invalid frame when it is itself valid, so the client can tell which frame
 * was refused. Problems name paths and rules, never values (a value may be a token).
 */
export function parseFrame(data: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, error: new AppError('MALFORMED_JSON'), requestId: undefined };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: invalid([{ in: 'frame', path: '/', message: 'must be a JSON object' }]), requestId: undefined };
  }
  const record = value as Record<string, unknown>;
  const requestId = REQUEST_ID.Check(record.requestId) ? record.requestId : undefined;
  if (!isKnownType(record.type)) {
    return { ok: false, error: new AppError('UNKNOWN_FRAME_TYPE', { details: { known: Object.keys(CHECKS) } }), requestId };
  }
  const check = CHECKS[record.type] as TypeCheck<(typeof WS_CLIENT_FRAMES)[WsClientFrameType]>;
  if (check.Check(record)) return { ok: true, frame: record as WsClientFrame };
  // As over REST: a refusal by the text rule (a text format of @ashchat/contracts) answers INVALID_TEXT.
  const problems: Problem[] = [];
  const text: Problem[] = [];
  let counted = 0;
  for (const e of check.Errors(record)) {
    const problem = { in: 'frame', path: e.path === '' ? '/' : e.path, message: e.message };
    if (e.type === ValueErrorType.StringFormat && isTextFormat(e.schema.format)) {
      if (text.length < MAX_LISTED) text.push(problem);
    } else if (problems.length < MAX_LISTED) problems.push(problem);
    // A bound on the walk too: a huge invalid array must stay cheap.
    if ((counted += 1) >= MAX_COUNTED) break;
  }
  if (text.length > 0) return { ok: false, error: new AppError('INVALID_TEXT', { details: text }), requestId };
  return { ok: false, error: invalid(problems), requestId };
}

type Problem = { in: string; path: string; message: string };
const invalid = (details: Problem[]): AppError => new AppError('VALIDATION_FAILED', { details });
