import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { bearerFromProtocols, createTokenVerifier, resumeFromProtocols, selectProtocol } from './ws.auth.js';
import { createFrameRegistry, type WsFrames } from './ws.frames.js';
import { createWsGateway, type WsGateway } from './ws.gateway.js';
import type { WsPresence } from './ws.types.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The WebSocket connections of this instance (GET /v1/ws). */
    wsGateway: WsGateway;
    /** Where domain plugins register what their client frames do (chat.ws.ts, registration.ws.ts). */
    wsFrames: WsFrames;
  }
}

/** The route clients connect to; the protocol is described in realtime/README.md. */
export const WS_PATH = '/v1/ws';

/**
 * The WebSocket gateway: GET /v1/ws upgraded by @fastify/websocket, authenticated with the access
 * token (Sec-WebSocket-Protocol or a first `auth` frame), then forwarding the user's events
 * (app.userEvents) and routing the client's frames to the handlers domains register on
 * `app.wsFrames` (so register this plugin before them). It knows no domain itself.
 */
async function wsPlugin(app: FastifyInstance): Promise<void> {
  const c = app.config;
  // Presence is optional: served only when its plugin is registered.
  const presence = (): WsPresence | undefined => (app.hasDecorator('presence') ? app.presence : undefined);
  const frames = createFrameRegistry();

  const gateway = createWsGateway({
    settings: {
      sendBufferBytes: c.WS_SEND_BUFFER_BYTES,
      messagesPerSecond: c.WS_MESSAGES_PER_SECOND,
      messagesBurst: c.WS_MESSAGES_BURST,
      rateLimitStrikes: c.WS_RATE_LIMIT_STRIKES,
      authTimeoutMs: c.WS_AUTH_TIMEOUT_MS,
      authExpiryNoticeMs: c.WS_AUTH_EXPIRY_NOTICE_MS,
      heartbeatIntervalMs: c.WS_HEARTBEAT_INTERVAL_MS,
      sweepIntervalMs: c.WS_SWEEP_INTERVAL_MS,
      resumeHoldMs: c.WS_RESUME_HOLD_MS,
      resumeBufferEvents: c.WS_RESUME_BUFFER_EVENTS,
    },
    log: app.log,
    verifyToken: createTokenVerifier({ verify: (token) => app.jwt.verify(token), isActive: (u, s) => app.auth.sessions.isActive(u, s) }),
    bus: app.userEvents,
    presence,
    frames,
  });
  app.decorate('wsGateway', gateway);
  app.decorate('wsFrames', { handle: frames.handle });
  app.addHook('onReady', async () => gateway.start());
  // Before @fastify/websocket's own preClose (registered below): clients learn why (1001) and may resume elsewhere.
  app.addHook('preClose', async () => gateway.shutdown());

  await app.register(async (scope) => {
    await scope.register(websocket, {
      options: {
        maxPayload: c.WS_MAX_FRAME_BYTES,
        handleProtocols: selectProtocol,
        // The gateway tracks its connections; ws's own set would be a second reference to each.
        clientTracking: false,
      },
    });
    scope.route({
      method: 'GET',
      url: WS_PATH,
      // A WebSocket endpoint, not REST: described in realtime/README.md, hidden from OpenAPI.
      schema: { hide: true },
      handler: async () => {
        throw new AppError('ROUTE_NOT_FOUND');
      },
      // Nothing of the request is kept: the token (never logged) and the client's address.
      wsHandler: (socket, request) => {
        releaseHttpResponse(request.raw.socket);
        const protocols = request.headers['sec-websocket-protocol'];
        gateway.accept(socket, { bearer: bearerFromProtocols(protocols), ip: request.ip, resume: resumeFromProtocols(protocols) });
      },
    });
  });
}

/**
 * @fastify/websocket routes the upgrade through a ServerResponse it attaches to the socket (never
 * used once upgraded, the reply is hijacked). Attached, it keeps that response and the request
 * alive as long as the connection: about 2.7 KB of a ~8 KB idle connection. Detaching is what Node
 * does when a response ends; if the internals change, this does nothing.
 */
function releaseHttpResponse(socket: unknown): void {
  const holder = socket as { _httpMessage?: { detachSocket?: (s: unknown) => void } | null };
  holder._httpMessage?.detachSocket?.(socket);
}

export default fp(wsPlugin, {
  name: 'ws-gateway',
  fastify: '5.x',
  dependencies: ['error-handler', 'user-events', 'auth'],
});
