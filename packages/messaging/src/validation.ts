import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck, type ValueError } from '@sinclair/typebox/compiler';

// Schemas are module-level constants: compiling once per schema object keeps validation cheap.
const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

export function compileSchema<S extends TSchema>(schema: S): TypeCheck<S> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<S>;
}

/** How many validation errors a reason lists; the rest are only counted. */
export const MAX_LISTED_ERRORS = 3;
/** Errors counted at most, so a huge invalid array cannot make validation reporting expensive. */
const MAX_COUNTED_ERRORS = 100;
/** Reasons travel in an AMQP header; keep them short. */
export const MAX_REASON_LENGTH = 1000;

export function truncateReason(reason: string): string {
  return reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`;
}

/**
 * A readable, stable reason from TypeBox errors: JSON-pointer path and message, no values (a
 * value may be a secret, and reasons end up in headers and logs).
 */
export function formatValidationErrors(errors: Iterable<ValueError>): string {
  const listed: string[] = [];
  let total = 0;
  for (const error of errors) {
    if (total < MAX_LISTED_ERRORS) listed.push(`${error.path === '' ? '/' : error.path}: ${error.message}`);
    total += 1;
    if (total >= MAX_COUNTED_ERRORS) break;
  }
  if (total === 0) return 'schema validation failed';
  const more = total > listed.length ? ` (+${total - listed.length}${total >= MAX_COUNTED_ERRORS ? '+' : ''} more)` : '';
  return truncateReason(`schema validation failed: ${listed.join('; ')}${more}`);
}

/** Undefined when valid, else the formatted reason. */
export function validationReason<S extends TSchema>(schema: S, value: unknown): string | undefined {
  const check = compileSchema(schema);
  return check.Check(value) ? undefined : formatValidationErrors(check.Errors(value));
}

/** Thrown when code tries to publish a body that does not match its own contract: a bug, not input. */
export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessageError';
  constructor(
    readonly queue: string,
    readonly reason: string,
  ) {
    super(`refusing to publish an invalid message to "${queue}": ${reason}`);
  }
}

export function assertValid<S extends TSchema>(queue: string, schema: S, body: unknown): asserts body is Static<S> {
  const reason = validationReason(schema, body);
  if (reason !== undefined) throw new InvalidMessageError(queue, reason);
}
