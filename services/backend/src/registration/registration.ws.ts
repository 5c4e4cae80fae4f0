import type { FastifyBaseLogger } from 'fastify';
import type { RegistrationView } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { WsConnection } from '../realtime/ws.connection.js';
import type { WsFrames } from '../realtime/ws.frames.js';
import type { WsOutput } from '../realtime/ws.types.js';
import type { RegistrationRateLimits } from './registration.rate-limit.js';
import type { RegistrationRuntime } from './registration.runtime.js';
import type { RegistrationService } from './registration.service.js';
import { toRegistrationView } from './registration.view.js';

export interface RegistrationWatchDeps {
  service: Pick<RegistrationService, 'get'>;
  runtime: Pick<RegistrationRuntime, 'watch'>;
  /** The limits of GET /v1/registrations/:id, on the same Redis counters: a watch costs one status read. */
  limits: RegistrationRateLimits;
  authTimeoutMs: number;
  log: FastifyBaseLogger;
  /** Re-read interval when no change notice comes (notices travel by pub/sub: best effort). */
  fallbackPollMs?: number;
  now?: () => number;
}

/** Statuses after which a registration never changes again. */
const FINAL = new Set(['completed', 'expired', 'locked', 'failed']);

/**
 * `registration.watch` on the gateway (`app.wsFrames`): the registration id is the capability,
 * exactly as for GET /v1/registrations/:id (same view, same rate limits per IP and e-mail), so an
 * unauthenticated connection may use it. While it follows a registration that can still change,
 * the connection's authentication deadline is suspended; it resumes when the registration reaches
 * a final status (which the saga guarantees: codes expire). One registration per connection; a new
 * watch replaces the previous one.
 */
export function registerRegistrationFrames(frames: WsFrames, deps: RegistrationWatchDeps): void {
  const { service, runtime } = deps;
  const fallbackPollMs = deps.fallbackPollMs ?? 5_000;
  const now = deps.now ?? Date.now;
  /** The watch each connection follows (one at a time); gone with the connection. */
  const watching = new WeakMap<WsConnection, () => void>();

  async function follow(out: WsOutput, conn: WsConnection, id: string, first: RegistrationView, stopped: () => boolean, next: (ms: number) => Promise<unknown>): Promise<void> {
    let last = JSON.stringify(first);
    while (!stopped()) {
      await next(fallbackPollMs);
      if (stopped()) return;
      const current = await service.get(id);
      if (!current || stopped()) return;
      const view = toRegistrationView(current);
      const text = JSON.stringify(view);
      if (text !== last) {
        last = text;
        out.send(conn, { type: 'registration.updated', registration: view });
      }
      if (FINAL.has(view.status)) return;
    }
  }

  async function watchRegistration(out: WsOutput, conn: WsConnection, id: string): Promise<RegistrationView> {
    watching.get(conn)?.();
    // Watch before the read, so a change between the two still wakes the follower.
    const watch = runtime.watch(id);
    let view: RegistrationView;
    try {
      const registration = await service.get(id);
      await deps.limits.check('status', conn.ip, registration?.emailNormalized ?? `id:${id}`);
      if (!registration) throw new AppError('REGISTRATION_NOT_FOUND');
      view = toRegistrationView(registration);
    } catch (err) {
      watch.close();
      throw err;
    }
    if (FINAL.has(view.status) || conn.closed) {
      watch.close();
      return view;
    }
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      watch.close();
    };
    watching.set(conn, stop);
    const forget = conn.onRelease(stop);
    // Kept open while the registration can still change: the saga guarantees it ends (codes expire).
    conn.authDeadline = Number.POSITIVE_INFINITY;
    follow(out, conn, id, view, () => stopped || conn.closed, (ms) => watch.next(ms))
      .catch((err: unknown) => deps.log.warn({ err: String(err) }, 'registration watch failed'))
      .finally(() => {
        watch.close();
        forget();
        if (watching.get(conn) !== stop) return;
        watching.delete(conn);
        // Only the watch kept an unauthenticated connection open: the usual deadline applies again.
        if (conn.userId === undefined) conn.authDeadline = now() + deps.authTimeoutMs;
      });
    return view;
  }

  frames.handle(
    'registration.watch',
    async (out, conn, frame) => out.ack(conn, frame.requestId, { registration: await watchRegistration(out, conn, frame.registrationId) }),
    { beforeAuth: true },
  );
}
