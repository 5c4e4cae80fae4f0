import type { ErrorCode, ErrorResponse } from '@ashchat/contracts';

/** A code of the error catalogue, or NETWORK_ERROR when no answer arrived (offline, server down). */
export type ApiErrorCode = ErrorCode | 'NETWORK_ERROR' | (string & {});

/** A refused or failed request: `code` is from the contracts' error catalogue (clients must tolerate new ones). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    /** From `details.retryAfterMs` or the Retry-After header, when the server said when to retry. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  static fromResponse(status: number, body: Partial<ErrorResponse> | undefined, retryAfterHeader: string | null): ApiError {
    const details = body?.details;
    const fromDetails = isRecord(details) && typeof details.retryAfterMs === 'number' ? details.retryAfterMs : undefined;
    const fromHeader = retryAfterHeader && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) * 1000 : undefined;
    return new ApiError(status, body?.code ?? `HTTP_${status}`, body?.message ?? `HTTP ${status}`, details, fromDetails ?? fromHeader);
  }

  /** A field of `details` (e.g. `attemptsLeft` of INVALID_CODE, `resendAvailableAt` of RESEND_COOLDOWN). */
  detail<T = unknown>(name: string): T | undefined {
    return isRecord(this.details) ? (this.details[name] as T | undefined) : undefined;
  }
}

export const isApiError = (error: unknown, code?: ApiErrorCode): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
