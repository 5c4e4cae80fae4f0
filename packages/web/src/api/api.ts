import type { MeView } from '@ashchat/contracts';
import { createHttp } from './http.client.js';
import { createSessionStore } from './session.store.js';

export { ApiError, isApiError } from './api.error.js';
export type { ApiErrorCode } from './api.error.js';
export type { Http, RequestOptions } from './http.client.js';
export type { SessionStatus, SessionStore } from './session.store.js';
export { deviceId, deviceName } from './device.identity.js';

/** The one session of this page: tokens, the signed-in user, sign-out with a reason. */
export const session = createSessionStore({ storage: localStorage, tabStorage: sessionStorage, loadMe: () => http.request<MeView>('GET', '/v1/me') });
/** Requests to /v1 with the session's token. */
export const http = createHttp({ session });
