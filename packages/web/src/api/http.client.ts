import { ApiError } from './api.error.js';
import { apiFetch, type ApiResponse, type HttpMethod } from './api.fetch.js';
import type { SessionStore } from './session.store.js';

export interface RequestOptions {
  /** false: send no token (sign-up, sign-in, code flows). Default true. */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface Http {
  /** The answer's body; throws ApiError. */
  request<T>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  /** The answer's status and body, for routes whose 2xx statuses differ in meaning (201 vs 202). */
  exchange<T>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
}

/** Requests with the session's bearer token; a 401 refreshes once and retries, a second 401 signs out. */
export function createHttp({ session }: { session: Pick<SessionStore, 'accessToken' | 'refresh' | 'signOut'> }): Http {
  async function exchange<T>(method: HttpMethod, path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    if (options.auth === false) return apiFetch<T>(method, path, body, undefined, options.signal);
    const token = await session.accessToken();
    try {
      return await apiFetch<T>(method, path, body, token, options.signal);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
    }
    const fresh = await session.refresh();
    try {
      return await apiFetch<T>(method, path, body, fresh, options.signal);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) await session.signOut('auth.ended.expired');
      throw error;
    }
  }
  return {
    exchange,
    request: async <T>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions) => (await exchange<T>(method, path, body, options)).data,
  };
}
