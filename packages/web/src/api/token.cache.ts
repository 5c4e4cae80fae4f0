/** An access token kept in this tab's sessionStorage across reloads, with the session it belongs to. */
export interface CachedAccess {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
  /** When the timed refresh is due (epoch ms). */
  refreshAt: number;
  /** The access token's `sid`: used only while the stored refresh token is of the same session. */
  sessionId: string;
}

export const ACCESS_KEY = 'ashchat.access';
/** The session of the stored refresh token (beside it in localStorage; rotations keep it). */
export const SESSION_ID_KEY = 'ashchat.sessionId';

/** The `sid` claim of a JWT, read without verifying it (the server does); null if it has none. */
export function sessionIdOf(accessToken: string): string | null {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sid?: unknown };
    return typeof claims.sid === 'string' ? claims.sid : null;
  } catch {
    return null;
  }
}

/** The cached access token if `raw` holds a well-formed one (anything else is ignored). */
export function parseCachedAccess(raw: string | null): CachedAccess | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<CachedAccess>;
    const ok = typeof v.token === 'string' && typeof v.expiresAt === 'number' && typeof v.refreshAt === 'number' && typeof v.sessionId === 'string';
    return ok ? (v as CachedAccess) : null;
  } catch {
    return null;
  }
}
