import type { WS_BEARER_PREFIX as BearerPrefix, WS_CLOSE_CODES as CloseCodes, WS_RESUME_SUBPROTOCOL as ResumeSubprotocol, WS_SUBPROTOCOL as Subprotocol } from '@ashchat/contracts';

// Copies of the contracts' WebSocket constants: importing their values would bundle TypeBox into the
// client. Each is typed by the contract's own literal type, so a change there fails the typecheck here.
export const WS_SUBPROTOCOL: typeof Subprotocol = 'ashchat.v1';
export const WS_BEARER_PREFIX: typeof BearerPrefix = 'ashchat.bearer.';
/** Offered when the connection's first frame is `resume`: only then does the server hold live events for it. */
export const WS_RESUME_SUBPROTOCOL: typeof ResumeSubprotocol = 'ashchat.resume';
export const WS_SESSION_REVOKED: (typeof CloseCodes)['SESSION_REVOKED']['code'] = 4403;
export const WS_UNAUTHENTICATED: (typeof CloseCodes)['UNAUTHENTICATED']['code'] = 4401;
export const WS_TOKEN_EXPIRED: (typeof CloseCodes)['TOKEN_EXPIRED']['code'] = 4419;

/** The WebSocket endpoint on this origin (ws: or wss: as the page). */
export function wsUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/v1/ws`;
}
