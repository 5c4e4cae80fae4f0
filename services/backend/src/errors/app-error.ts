import { STATUS_CODES } from 'node:http';
import { ERROR_CATALOGUE, type ErrorCode, type ErrorResponse } from '@ashchat/contracts';

export interface AppErrorOptions {
  /** Safe, client-facing detail (validation problems, attempts left); never secrets. */
  details?: unknown;
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * An expected failure with a stable code. Status and message come from the catalogue, so the
 * same condition reads the same on every route; the error handler turns it into the response.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(ERROR_CATALOGUE[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = ERROR_CATALOGUE[code].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The response body of an error code, as every refusal of the API sends it. */
export function errorBody(code: ErrorCode, details?: unknown): ErrorResponse {
  const { status, message } = ERROR_CATALOGUE[code];
  return {
    statusCode: status,
    code,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    ...(details === undefined ? {} : { details }),
  };
}
