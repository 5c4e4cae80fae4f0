import { appMessages } from './app.messages.js';
import { authMessages } from './auth.messages.js';
import { chatMessages } from './chat.messages.js';
import type { Language } from './messages.define.js';
import { settingsMessages } from './settings.messages.js';
import { searchMessages } from './search.messages.js';
import { relationsMessages } from './relations.messages.js';
import { reactionsMessages } from './reactions.messages.js';
import { filesMessages } from './files.messages.js';
import { translationMessages } from './translation.messages.js';

/** Every UI text, in every language: one catalogue merged from the domains' files. */
export const catalogue = {
  en: { ...appMessages.en, ...authMessages.en, ...chatMessages.en, ...settingsMessages.en, ...searchMessages.en, ...relationsMessages.en, ...reactionsMessages.en, ...filesMessages.en, ...translationMessages.en },
  de: { ...appMessages.de, ...authMessages.de, ...chatMessages.de, ...settingsMessages.de, ...searchMessages.de, ...relationsMessages.de, ...reactionsMessages.de, ...filesMessages.de, ...translationMessages.de },
  es: { ...appMessages.es, ...authMessages.es, ...chatMessages.es, ...settingsMessages.es, ...searchMessages.es, ...relationsMessages.es, ...reactionsMessages.es, ...filesMessages.es, ...translationMessages.es },
  fr: { ...appMessages.fr, ...authMessages.fr, ...chatMessages.fr, ...settingsMessages.fr, ...searchMessages.fr, ...relationsMessages.fr, ...reactionsMessages.fr, ...filesMessages.fr, ...translationMessages.fr },
} satisfies Record<Language, Record<string, string>>;

export type MessageKey = keyof typeof catalogue.en;
