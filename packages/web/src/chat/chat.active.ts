import { effect, signal, untracked } from '@preact/signals';
import { http, session } from '../api/api.js';
import { connectionStatus } from '../app/connection.signal.js';
import { startChatSession, type ChatSession } from './chat.session.js';

/** The chat of the signed-in session (null while signed out); the chat screens read it. */
export const activeChat = signal<ChatSession | null>(null);

const NICKNAMES_KEY = 'ashchat.nicknames';
const MAX_NICKNAMES = 500;

/**
 * The API names users only in search results (there is no lookup by id), so the nicknames learnt are
 * kept across reloads: a conversation opened from a search still has its title after a reload.
 */
function storedNicknames(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(NICKNAMES_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Starts a chat session on sign-in and stops it on sign-out; mirrors its connection state for the shell's banner. */
export function runChatSessions(): () => void {
  const stops = [
    effect(() => {
      const signedIn = session.status.value === 'signed-in';
      untracked(() => {
        if (signedIn && !activeChat.value) {
          const started = startChatSession(session, http);
          started.chat.users.remember(Object.entries(storedNicknames()).map(([id, nickname]) => ({ id, nickname })));
          activeChat.value = started;
        } else if (!signedIn && activeChat.value) {
          activeChat.value.stop();
          activeChat.value = null;
        }
      });
    }),
    effect(() => {
      connectionStatus.value = activeChat.value?.realtime.status.value ?? 'online';
    }),
    effect(() => {
      const me = session.me.value;
      if (me) activeChat.value?.chat.users.remember([{ id: me.id, nickname: me.nickname, avatarUrl: me.avatarUrl }]);
    }),
    effect(() => {
      const names = activeChat.value?.chat.users.nicknames.value;
      if (!names) return;
      const entries = Object.entries(names).slice(-MAX_NICKNAMES);
      try {
        localStorage.setItem(NICKNAMES_KEY, JSON.stringify(Object.fromEntries(entries)));
      } catch {
        // storage full or denied: names are learnt again from searches
      }
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
