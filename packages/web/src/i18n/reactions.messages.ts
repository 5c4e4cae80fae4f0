import { defineMessages } from './messages.define.js';

// Owned by reactions (src/chat/reactions.*); keys start with `chat.reactions.`, plus the `error.` texts of its codes.
export const reactionsMessages = defineMessages({
  en: {
    'chat.reactions.add': 'React',
    'chat.reactions.addLabel': 'Add a reaction',
    'chat.reactions.picker': 'Choose a reaction',
    'chat.reactions.with': 'React with {emoji}',
    'chat.reactions.list': 'Reactions',
    'chat.reactions.chip': '{emoji}: {count} reactions. Press to react too.',
    'chat.reactions.chip_one': '{emoji}: 1 reaction. Press to react too.',
    'chat.reactions.chipMine': '{emoji}: {count} reactions, including yours. Press to take yours back.',
    'chat.reactions.chipMine_one': '{emoji}: your reaction. Press to take it back.',
    'error.INVALID_EMOJI': 'A reaction is exactly one emoji.',
    'error.REACTION_LIMIT_REACHED': 'This message has as many different reactions as it can take. Pick one of those shown.',
  },
  de: {
    'chat.reactions.add': 'Reagieren',
    'chat.reactions.addLabel': 'Reaktion hinzufügen',
    'chat.reactions.picker': 'Reaktion auswählen',
    'chat.reactions.with': 'Mit {emoji} reagieren',
    'chat.reactions.list': 'Reaktionen',
    'chat.reactions.chip': '{emoji}: {count} Reaktionen. Drücken, um auch so zu reagieren.',
    'chat.reactions.chip_one': '{emoji}: 1 Reaktion. Drücken, um auch so zu reagieren.',
    'chat.reactions.chipMine': '{emoji}: {count} Reaktionen, auch deine. Drücken, um deine zurückzunehmen.',
    'chat.reactions.chipMine_one': '{emoji}: deine Reaktion. Drücken, um sie zurückzunehmen.',
    'error.INVALID_EMOJI': 'Eine Reaktion ist genau ein Emoji.',
    'error.REACTION_LIMIT_REACHED': 'Diese Nachricht hat schon so viele verschiedene Reaktionen wie möglich. Wähle eine der gezeigten.',
  },
});
