import fc from 'fast-check';
import { ERROR_CATALOGUE, isTextFormat, TEXT_FORMATS } from '@ashchat/contracts';

/**
 * Test-only helpers (excluded from the build): text that probes the text rule of @ashchat/contracts,
 * shared by the REST, WebSocket and fuzz tests, and the outcome the rule predicts for it.
 */

/** Characters the rule refuses somewhere, and characters it must keep accepting, each with its name. */
export const TEXT_PROBES = {
  nul: '\u0000',
  bell: '\u0007',
  escape: '\u001B',
  tab: '\t',
  lineFeed: '\n',
  carriageReturn: '\r',
  del: '\u007F',
  nel: '\u0085',
  c1: '\u009B',
  loneHigh: '\uD800',
  loneLow: '\uDFFF',
  lineSeparator: '\u2028',
  zeroWidthSpace: '\u200B',
  zeroWidthJoiner: '\u200D',
  rlm: '\u200F',
  rlo: '\u202E',
  isolate: '\u2066',
  softHyphen: '\u00AD',
  bom: '\uFEFF',
  hangulFiller: '\u3164',
  tag: '\u{E0041}',
  emoji: '😀',
  family: '👨\u200D👩\u200D👧\u200D👦',
  combining: 'e\u0301',
  arabic: 'مرحبا',
  cjk: '李',
} as const;

/** A message body every format-aware layer must keep exactly: 4-byte emoji, a ZWJ sequence, combining marks, Arabic. */
export const RICH_TEXT = `Hi 😀 ${TEXT_PROBES.family} Zoe\u0308 cafe\u0301 — ${TEXT_PROBES.arabic} ✓`;

const probe = fc.constantFrom(...Object.values(TEXT_PROBES));
const unit = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }), weight: 4 },
  { arbitrary: probe, weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }), weight: 1 },
);

/** Text built from ordinary characters, the probes above and any code point; sometimes harmless, often not. */
export const hostileText = (o: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> =>
  fc.array(unit, { minLength: o.minLength ?? 1, maxLength: o.maxLength ?? 8 }).map((units) => units.join(''));

interface StringSchema {
  format?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export type TextOutcome = 'ok' | 'INVALID_TEXT' | 'VALIDATION_FAILED' | 'refused';

/**
 * What a validator answers for `value` in a field of `schema`, all else in the request being valid:
 * `ok` (accepted), `INVALID_TEXT` (the field's own keywords pass, the text rule refuses),
 * `VALIDATION_FAILED` (its own keywords refuse, the rule accepts), `refused` (both refuse: either
 * code, depending on which the validator reports). `unicode`: Ajv (REST) counts code points and
 * compiles patterns with the `u` flag; TypeBox (WebSocket, queues) does neither.
 */
export function expectedTextOutcome(schema: StringSchema, value: string, unicode: boolean): TextOutcome {
  const length = unicode ? [...value].length : value.length;
  const shaped =
    (schema.minLength === undefined || length >= schema.minLength) &&
    (schema.maxLength === undefined || length <= schema.maxLength) &&
    (schema.pattern === undefined || new RegExp(schema.pattern, unicode ? 'u' : '').test(value));
  const ruled = !isTextFormat(schema.format) || TEXT_FORMATS[schema.format](value);
  if (shaped) return ruled ? 'ok' : 'INVALID_TEXT';
  return ruled ? 'VALIDATION_FAILED' : 'refused';
}

/**
 * Checks an answer against the prediction: never a 5xx; a refusal carries a catalogue code whose
 * status is the answer's; the predicted refusal, as 400; text the rule accepts is never called
 * INVALID_TEXT. Returns the problem, or undefined.
 */
export function textAnswerProblem(expected: TextOutcome, statusCode: number, code: unknown): string | undefined {
  if (statusCode >= 500) return `answered ${statusCode}`;
  if (statusCode >= 400) {
    if (typeof code !== 'string' || !Object.hasOwn(ERROR_CATALOGUE, code)) return `code ${String(code)} is not in the catalogue`;
    if (ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].status !== statusCode) return `${code} with status ${statusCode}`;
  }
  const codes = expected === 'refused' ? ['INVALID_TEXT', 'VALIDATION_FAILED'] : expected === 'ok' ? undefined : [expected];
  if (codes === undefined) return code === 'INVALID_TEXT' ? 'INVALID_TEXT for text the rule accepts' : undefined;
  return statusCode === 400 && codes.includes(code as string) ? undefined : `expected 400 ${codes.join(' or ')}, got ${statusCode} ${String(code)}`;
}
