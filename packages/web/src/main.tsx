import { effect } from '@preact/signals';
import { render } from 'preact';
import { session } from './api/api.js';
import { App } from './app/app.js';
import { language, userLanguage } from './i18n/i18n.js';
import './app/app.css';

// The UI follows the signed-in user's preferredLanguage (and the browser's before sign-in).
effect(() => {
  userLanguage.value = session.me.value?.preferredLanguage ?? null;
});
effect(() => {
  document.documentElement.lang = language.value;
});

void session.start();
render(<App />, document.getElementById('app')!);
