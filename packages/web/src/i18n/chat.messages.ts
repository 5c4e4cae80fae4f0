import { defineMessages } from './messages.define.js';

// Owned by the chat screens (CHAT-UI); keys start with `chat.`.
export const chatMessages = defineMessages({ en: {}, de: {} });
