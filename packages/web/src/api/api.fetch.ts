import { ApiError } from './api.error.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface ApiResponse<T> {
  status: number;
  data: T;
}

/**
 * One request to the API (same origin): JSON in, JSON out, ApiError for anything but 2xx.
 * The 2xx status is returned too, because some routes mean different things by 201 and 202.
 */
export async function apiFetch<T>(method: HttpMethod, path: string, body?: unknown, accessToken?: string, signal?: AbortSignal): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, credentials: 'same-origin' });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.');
  }
  const text = await response.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) throw ApiError.fromResponse(response.status, data as never, response.headers.get('retry-after'));
  return { status: response.status, data: data as T };
}
