import { effect } from '@preact/signals';
import { render } from 'preact';
import { session } from './api/api.js';
import { App } from './app/app.js';
import { runChatSessions } from './chat/chat.active.js';
import { language, userLanguage } from './i18n/i18n.js';
import './app/app.css';

// The UI follows the signed-in user's preferredLanguage; signed out, the last user's of this browser
// (a session ended elsewhere is explained in the language it was used in), else the browser's.
const LAST_LANGUAGE_KEY = 'ashchat.language';
effect(() => {
  const preferred = session.me.value?.preferredLanguage;
  if (preferred) localStorage.setItem(LAST_LANGUAGE_KEY, preferred);
  userLanguage.value = preferred ?? localStorage.getItem(LAST_LANGUAGE_KEY);
});
effect(() => {
  document.documentElement.lang = language.value;
});

runChatSessions(); // one chat session (connection + stores) per sign-in
void session.start();
render(<App />, document.getElementById('app')!);
