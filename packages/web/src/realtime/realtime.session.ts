import type { SessionStore } from '../api/api.js';
import type { TokenSource } from './realtime.env.js';

/** The app's session as the realtime client's token source: a revoked or unrenewable session signs out with its reason. */
export function sessionTokens(session: Pick<SessionStore, 'accessToken' | 'refresh' | 'signOut'>): TokenSource {
  return {
    accessToken: () => session.accessToken().catch(() => null),
    freshAccessToken: () => session.refresh().catch(() => null),
    sessionEnded: (reason) => void session.signOut(reason === 'revoked' ? 'auth.ended.revoked' : 'auth.ended.expired'),
  };
}
