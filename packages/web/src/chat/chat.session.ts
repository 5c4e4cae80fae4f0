import { computed } from '@preact/signals';
import type { Http, SessionStore } from '../api/api.js';
import { wsUrl } from '../api/protocol.constants.js';
import { createRealtime, type Realtime } from '../realtime/realtime.client.js';
import { sessionTokens } from '../realtime/realtime.session.js';
import { createChat, type Chat } from './chat.store.js';

export interface ChatSession {
  realtime: Realtime;
  chat: Chat;
  /** On sign-out: closes the connection and detaches the stores. */
  stop(): void;
}

/** Connects and builds the chat stores for the signed-in session (one per sign-in). */
export function startChatSession(session: Pick<SessionStore, 'accessToken' | 'refresh' | 'signOut' | 'me'>, http: Http, url = wsUrl()): ChatSession {
  const realtime = createRealtime({ url, tokens: sessionTokens(session) });
  const chat = createChat({ http, realtime, me: computed(() => session.me.value?.id ?? realtime.userId.value) });
  return {
    realtime,
    chat,
    stop() {
      chat.dispose();
      realtime.close();
    },
  };
}
