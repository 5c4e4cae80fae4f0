import { defineMessages } from './messages.define.js';

// Owned by the settings screens (SETTINGS); keys start with `settings.`.
export const settingsMessages = defineMessages({ en: {}, de: {} });
