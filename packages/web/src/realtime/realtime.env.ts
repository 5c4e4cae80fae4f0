/** The environment the realtime client runs in, injectable so node tests and the browser share the code. */

/** The part of the WebSocket API the client uses (the browser's and the `ws` package's alike). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Where the client learns whether the device has a network at all (the browser's online/offline events). */
export interface NetworkStatus {
  onLine(): boolean;
  subscribe(listener: (online: boolean) => void): () => void;
}

export function browserNetwork(): NetworkStatus {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  const target = globalThis as unknown as Partial<Pick<EventTarget, 'addEventListener' | 'removeEventListener'>>;
  return {
    onLine: () => nav?.onLine !== false,
    subscribe(listener) {
      if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') return () => {};
      const online = () => listener(true);
      const offline = () => listener(false);
      target.addEventListener('online', online);
      target.addEventListener('offline', offline);
      return () => {
        target.removeEventListener?.('online', online);
        target.removeEventListener?.('offline', offline);
      };
    },
  };
}

/** The access token for the connection; the session (src/api) implements it. */
export interface TokenSource {
  /** A currently valid access token (refreshed if it is about to expire); null: signed out. */
  accessToken(): Promise<string | null>;
  /** A newly refreshed token, after the server said the current one expires or was refused; defaults to accessToken. */
  freshAccessToken?(): Promise<string | null>;
  /** The server ended the session (4403) or no token can be had: the app signs out with this reason. */
  sessionEnded(reason: 'revoked' | 'unauthenticated'): void;
}
