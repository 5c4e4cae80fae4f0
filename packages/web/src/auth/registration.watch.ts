import type { RegistrationView } from '@ashchat/contracts';
import { WS_SUBPROTOCOL, wsUrl } from '../api/protocol.constants.js';

const FINAL = new Set<RegistrationView['status']>(['completed', 'expired', 'locked', 'failed']);

/**
 * Follows a registration live over the WebSocket (allowed before sign-in: the id is the capability):
 * the ack's view, then every `registration.updated`. Reconnects while the registration can still
 * change; returns the function that stops watching.
 */
export function watchRegistration(registrationId: string, onView: (view: RegistrationView) => void): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let final = false;

  const take = (view: RegistrationView | undefined) => {
    if (!view || view.registrationId !== registrationId) return;
    onView(view);
    // After a final status the server ends the unauthenticated connection anyway.
    if (FINAL.has(view.status)) {
      final = true;
      socket?.close(1000);
    }
  };

  const open = () => {
    const ws = new WebSocket(wsUrl(), [WS_SUBPROTOCOL]);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'registration.watch', requestId: 'watch', registrationId }));
    ws.onmessage = (event) => {
      let frame: { type?: string; result?: { registration?: RegistrationView }; registration?: RegistrationView };
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (frame.type === 'ack') take(frame.result?.registration);
      else if (frame.type === 'registration.updated') take(frame.registration);
      // An `error` (unknown id, rate limit) ends the watch; the page still has its REST view.
      else if (frame.type === 'error') {
        final = true;
        ws.close(1000);
      }
    };
    ws.onclose = () => {
      if (!stopped && !final) retry = setTimeout(open, 3_000);
    };
  };

  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    socket?.close(1000);
  };
}
