import type { CreateRegistrationBody } from '@ashchat/contracts';

export interface HttpAnswer<T = unknown> {
  statusCode: number;
  body: T;
}

export interface RegistrationAnswer {
  registrationId: string;
  status: string;
  statusUrl?: string;
  [key: string]: unknown;
}

export interface RegistrationClient {
  register(body: CreateRegistrationBody): Promise<HttpAnswer<RegistrationAnswer>>;
  status(id: string): Promise<HttpAnswer<RegistrationAnswer>>;
  verify(id: string, code: string): Promise<HttpAnswer<RegistrationAnswer>>;
  resend(id: string): Promise<HttpAnswer<RegistrationAnswer>>;
}

/**
 * The registration REST API over real HTTP (Node's fetch, i.e. undici with keep-alive), as a
 * browser or app would call it.
 */
export function createRegistrationClient(baseUrl: string, timeoutMs = 30_000): RegistrationClient {
  const call = async (method: string, path: string, body?: unknown): Promise<HttpAnswer<RegistrationAnswer>> => {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { statusCode: res.status, body: (text === '' ? {} : JSON.parse(text)) as RegistrationAnswer };
  };
  const id = (registrationId: string) => encodeURIComponent(registrationId);
  return {
    register: (body) => call('POST', '/v1/registrations', body),
    status: (registrationId) => call('GET', `/v1/registrations/${id(registrationId)}`),
    verify: (registrationId, code) => call('POST', `/v1/registrations/${id(registrationId)}/verification`, { code }),
    resend: (registrationId) => call('POST', `/v1/registrations/${id(registrationId)}/resend`, {}),
  };
}
