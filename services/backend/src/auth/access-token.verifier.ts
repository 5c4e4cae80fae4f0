import type { AccessTokenClaims } from './session.service.js';

export interface VerifiedClaims extends AccessTokenClaims {
  /** Expiry, seconds since the epoch (the JWT `exp`). */
  exp: number;
}

export interface AccessTokenVerifierOptions {
  /** Checks signature, algorithm and expiry; throws otherwise (the JWT plugin's verifier). */
  verify: (token: string) => unknown;
  /** Tokens remembered at most (the oldest goes first). */
  maxTokens: number;
  now?: () => number;
}

/**
 * Verifies access tokens, remembering each verified one until it expires: a client sends the same
 * token with every request for its whole lifetime, and re-checking the HMAC each time costs more
 * than the rest of a cached read. Anything that is not a well-formed token of ours throws.
 */
export function createAccessTokenVerifier(o: AccessTokenVerifierOptions): (token: string) => VerifiedClaims {
  const now = o.now ?? Date.now;
  const verified = new Map<string, VerifiedClaims>();
  return (token) => {
    const known = verified.get(token);
    if (known) {
      if (known.exp * 1000 > now()) return known;
      verified.delete(token);
    }
    const claims = o.verify(token) as Partial<VerifiedClaims> | null;
    if (typeof claims?.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') throw new Error('not an access token');
    if (claims.exp * 1000 <= now()) throw new Error('expired');
    const kept: VerifiedClaims = { sub: claims.sub, sid: claims.sid, exp: claims.exp };
    if (verified.size >= o.maxTokens) verified.delete(verified.keys().next().value as string);
    verified.set(token, kept);
    return kept;
  };
}
