import { WS_BEARER_PREFIX, WS_RESUME_SUBPROTOCOL, WS_SUBPROTOCOL, type WsCloseName } from '@ashchat/contracts';

export type TokenCheck =
  | { ok: true; userId: string; sessionId: string; expiresAt: number }
  | { ok: false; close: Extract<WsCloseName, 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'SESSION_REVOKED'> };

export interface TokenVerifierDeps {
  /** `app.jwt.verify`: throws on a bad signature, a malformed token, or an expired one. */
  verify: (token: string) => unknown;
  isActive: (userId: string, sessionId: string) => Promise<boolean>;
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The REST rules of `app.authenticate`, answered as the close code a WebSocket client acts on:
 * expired → refresh and reconnect; revoked → sign in again; anything else → unauthenticated.
 */
export function createTokenVerifier(deps: TokenVerifierDeps): (token: string) => Promise<TokenCheck> {
  return async (token) => {
    if (!JWT.test(token)) return { ok: false, close: 'UNAUTHENTICATED' };
    let claims: { sub?: unknown; sid?: unknown; exp?: unknown };
    try {
      claims = deps.verify(token) as typeof claims;
    } catch (err) {
      const expired = (err as { code?: unknown }).code === 'FAST_JWT_EXPIRED';
      return { ok: false, close: expired ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED' };
    }
    const { sub, sid, exp } = claims;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number') return { ok: false, close: 'UNAUTHENTICATED' };
    if (!(await deps.isActive(sub, sid))) return { ok: false, close: 'SESSION_REVOKED' };
    return { ok: true, userId: sub, sessionId: sid, expiresAt: exp * 1_000 };
  };
}

/** The entries of a Sec-WebSocket-Protocol header. */
const protocolsOf = (header: string | undefined): string[] => (header ? header.split(',').map((p) => p.trim()) : []);

/** The access token a client put in Sec-WebSocket-Protocol (`ashchat.bearer.<jwt>`), if any. */
export function bearerFromProtocols(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  const entry = protocolsOf(value).find((p) => p.startsWith(WS_BEARER_PREFIX));
  return entry === undefined ? undefined : entry.slice(WS_BEARER_PREFIX.length);
}

/** Whether the client offered `ashchat.resume`: it sends `resume` first, so its live events wait for it. */
export function resumeFromProtocols(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  return protocolsOf(value).includes(WS_RESUME_SUBPROTOCOL);
}

/**
 * The subprotocol the server answers with: `ashchat.v1` when offered, else none. Never the bearer
 * entry, which would echo the token back in the handshake response.
 */
export function selectProtocol(offered: Set<string>): string | false {
  return offered.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false;
}
