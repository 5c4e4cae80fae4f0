import type { ReadonlySignal } from '@preact/signals';

/**
 * What the chat stores need from the rest of the app, as structural interfaces: src/api's http client
 * (createHttp) fits `Http`, src/realtime's createRealtime fits `Realtime`.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Http {
  /** Rejects with an error carrying `status` (0: no answer, network down) and `code` (the error catalogue's). */
  request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
}

/** The error code of a failed request (HTTP or WebSocket), for showing and for deciding on a retry. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'NETWORK_ERROR';
}

/** Failures worth trying again unchanged (the connection, not the content). */
export function isTransient(code: string): boolean {
  return ['NETWORK_ERROR', 'TIMEOUT', 'DISCONNECTED', 'OFFLINE', 'CLOSED', 'RATE_LIMITED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE', 'REDIS_UNAVAILABLE'].includes(code);
}

/** The signed-in user's id, as the app knows it (from the session or the connection's auth.ok). */
export type Me = ReadonlySignal<string | null>;

export const enc = encodeURIComponent;
