import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { MeView, SessionTokens } from '@ashchat/contracts';
import type { MessageKey } from '../i18n/i18n.js';
import { ApiError, isApiError } from './api.error.js';
import { apiFetch } from './api.fetch.js';
import { isFresh, refreshDelayMs, usableOnLoad } from './token.timing.js';
import { ACCESS_KEY, parseCachedAccess, SESSION_ID_KEY, sessionIdOf, type CachedAccess } from './token.cache.js';

export const REFRESH_TOKEN_KEY = 'ashchat.refreshToken';
const REFRESH_LOCK = 'ashchat.refresh';

export type SessionStatus = 'starting' | 'signed-in' | 'signed-out';

export interface SessionStore {
  /** `starting` until the stored refresh token was tried on load. */
  readonly status: ReadonlySignal<SessionStatus>;
  readonly signedIn: ReadonlySignal<boolean>;
  /** The signed-in user (GET /v1/me); screens that change the profile may set it. */
  readonly me: Signal<MeView | null>;
  /** Why the last session ended (a catalogue key), shown on the sign-in page; null after a plain sign-out. */
  readonly endedReason: ReadonlySignal<MessageKey | null>;
  /** A current access token, refreshed first when it is about to expire; throws UNAUTHENTICATED when signed out. */
  accessToken(): Promise<string>;
  /** Exchanges the refresh token now (after a 401); concurrent calls share one exchange. */
  refresh(): Promise<string>;
  /** Takes the tokens of a sign-in (POST /v1/sessions 201 or a confirmed device challenge). */
  signIn(tokens: SessionTokens): Promise<void>;
  /** Forgets the tokens and shows the sign-in page with `reason`; `revoke` also ends the session(s) on the server. */
  signOut(reason?: MessageKey | null, options?: { revoke?: 'current' | 'all' }): Promise<void>;
  /**
   * On page load: a stored refresh token signs in again ("reload keeps the session"), with this tab's
   * access token from before the reload while it has more than a minute left, else after a refresh.
   */
  start(): Promise<void>;
  reloadMe(): Promise<void>;
}

export interface SessionDeps {
  /** Shared by the tabs (localStorage): the refresh token and its session id. */
  storage: Storage;
  /** This tab's (sessionStorage): its access token across reloads. None: every load refreshes. */
  tabStorage?: Storage;
  loadMe: () => Promise<MeView>;
  now?: () => number;
}

export function createSessionStore({ storage, tabStorage, loadMe, now = Date.now }: SessionDeps): SessionStore {
  const status = signal<SessionStatus>('starting');
  const me = signal<MeView | null>(null);
  const endedReason = signal<MessageKey | null>(null);
  let access: { token: string; expiresAt: number } | null = null;
  let inFlight: Promise<string> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (delayMs: number): void => {
    clearTimeout(timer);
    // A failed timed refresh is retried by the next accessToken() call; a revoked session already signed out.
    timer = setTimeout(() => void refresh().catch(() => undefined), delayMs);
  };

  const accept = (tokens: SessionTokens): void => {
    const delay = refreshDelayMs(tokens.expiresIn);
    access = { token: tokens.accessToken, expiresAt: now() + tokens.expiresIn * 1000 };
    storage.setItem(REFRESH_TOKEN_KEY, tokens.refreshToken);
    const sessionId = sessionIdOf(tokens.accessToken);
    if (sessionId) storage.setItem(SESSION_ID_KEY, sessionId);
    if (tabStorage && sessionId) {
      const cached: CachedAccess = { ...access, refreshAt: now() + delay, sessionId };
      tabStorage.setItem(ACCESS_KEY, JSON.stringify(cached));
    }
    schedule(delay);
  };

  /** Takes this tab's access token from before a reload, if it is of the stored session and has time left. */
  const resume = (): boolean => {
    const cached = parseCachedAccess(tabStorage?.getItem(ACCESS_KEY) ?? null);
    if (!cached || cached.sessionId !== storage.getItem(SESSION_ID_KEY) || !usableOnLoad(cached.expiresAt, now())) return false;
    access = { token: cached.token, expiresAt: cached.expiresAt };
    schedule(Math.max(1_000, cached.refreshAt - now()));
    return true;
  };

  const clear = (): void => {
    access = null;
    clearTimeout(timer);
    storage.removeItem(REFRESH_TOKEN_KEY);
    storage.removeItem(SESSION_ID_KEY);
    tabStorage?.removeItem(ACCESS_KEY);
    me.value = null;
  };

  const exchange = async (): Promise<string> => {
    // Read inside the lock: another tab may have exchanged (and so replaced) the token meanwhile.
    const refreshToken = storage.getItem(REFRESH_TOKEN_KEY);
    if (!refreshToken) throw new ApiError(401, 'UNAUTHENTICATED', 'Not signed in.');
    for (let attempt = 0; ; attempt++) {
      try {
        const { data } = await apiFetch<SessionTokens>('POST', '/v1/sessions/refresh', { refreshToken });
        accept(data);
        return data.accessToken;
      } catch (error) {
        // SESSION_BUSY: another exchange of this session is finishing; its result is worth waiting for.
        if (isApiError(error, 'SESSION_BUSY') && attempt < 3) {
          await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
          continue;
        }
        if (isApiError(error, 'INVALID_REFRESH_TOKEN')) await signOut('auth.ended.revoked');
        throw error;
      }
    }
  };

  const locked = async (): Promise<string> => (navigator.locks ? await navigator.locks.request(REFRESH_LOCK, exchange) : await exchange());

  function refresh(): Promise<string> {
    // A used refresh token presented again ends the session: never two exchanges at once, here or
    // in another tab of this browser (they share the stored token, hence the Web Lock).
    inFlight ??= locked().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  async function accessToken(): Promise<string> {
    if (access && isFresh(access.expiresAt, now())) return access.token;
    if (status.value === 'signed-out') throw new ApiError(401, 'UNAUTHENTICATED', 'Not signed in.');
    return refresh();
  }

  async function reloadMe(): Promise<void> {
    me.value = await loadMe();
  }

  async function signIn(tokens: SessionTokens): Promise<void> {
    accept(tokens);
    endedReason.value = null;
    await reloadMe();
    status.value = 'signed-in';
  }

  async function signOut(reason: MessageKey | null = null, options: { revoke?: 'current' | 'all' } = {}): Promise<void> {
    const token = access?.token;
    if (options.revoke && token) {
      const path = options.revoke === 'all' ? '/v1/sessions' : '/v1/sessions/current';
      // Best effort: the tokens are forgotten here either way.
      await apiFetch('DELETE', path, undefined, token).catch(() => undefined);
    }
    clear();
    endedReason.value = reason;
    status.value = 'signed-out';
  }

  async function start(): Promise<void> {
    if (typeof window !== 'undefined') {
      // Another tab signed out: this one follows.
      window.addEventListener('storage', (event) => {
        if (event.key === REFRESH_TOKEN_KEY && event.newValue === null && status.value === 'signed-in') void signOut('auth.ended.signedOut');
      });
    }
    for (let delay = 1_000; ; delay = Math.min(delay * 2, 15_000)) {
      if (!storage.getItem(REFRESH_TOKEN_KEY)) {
        // Signed out elsewhere (or never in): this tab's access token is of no session any more.
        tabStorage?.removeItem(ACCESS_KEY);
        status.value = 'signed-out';
        return;
      }
      try {
        // A revoked session answers the kept token's first request with a 401: the refresh then ends it.
        if (!resume()) await refresh();
        await reloadMe();
        status.value = 'signed-in';
        return;
      } catch (error) {
        // Offline or server down: keep the token and try again; anything else ends the session.
        if (!isApiError(error, 'NETWORK_ERROR') && !(error instanceof ApiError && error.status >= 500)) {
          if (status.value !== 'signed-out') await signOut(isApiError(error, 'INVALID_REFRESH_TOKEN') ? 'auth.ended.revoked' : 'auth.ended.expired');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  const signedIn = computed(() => status.value === 'signed-in');
  return { status, signedIn, me, endedReason, accessToken, refresh, signIn, signOut, start, reloadMe };
}
