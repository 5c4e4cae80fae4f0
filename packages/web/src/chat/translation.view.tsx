import { session } from '../api/api.js';
import { language as uiLanguage, t } from '../i18n/i18n.js';
import type { ChatMessage } from './chat.model.js';
import type { Chat } from './chat.store.js';
import { shownBody, translationDisplay, type TranslationDisplay } from './translation.model.js';
import './translation.css';

/** A language code as a name in the UI's language ("es" → "Spanish" / "Spanisch"); the code where the browser has none. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage.value], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** What of a message's translation to show, and the message as shown (the translated text as its body). */
export function useTranslation(chat: Chat, m: ChatMessage, mine: boolean): { display: TranslationDisplay; shown: ChatMessage; lang: string | undefined } {
  const display = translationDisplay(m, {
    mine,
    autoTranslate: session.me.value?.autoTranslate !== false,
    showOriginal: chat.translations.showsOriginal(m.id),
  });
  if (display.kind !== 'translated' || display.showingOriginal) return { display, shown: m, lang: m.language ?? undefined };
  return { display, shown: { ...m, body: shownBody(m, display) }, lang: m.translation?.language };
}

/** The line under a message about its translation: the Show original / Show translation toggle, or why there is none. */
export function TranslationNote({ chat, message: m, display: d }: { chat: Chat; message: ChatMessage; display: TranslationDisplay }) {
  if (d.kind === 'none') return null;
  if (d.kind === 'pending') return <p class="msg-translation msg-translation-pending">{t('chat.translation.pending')}</p>;
  if (d.kind === 'untranslated') {
    const text =
      d.reason === 'no-path' && d.from
        ? t('chat.translation.noPath', { from: languageName(d.from), to: languageName(d.to) })
        : d.reason === 'too-long'
          ? t('chat.translation.tooLong')
          : t('chat.translation.unavailable');
    return <p class="msg-translation">{text}</p>;
  }
  return (
    <p class="msg-translation">
      <span>{d.from ? t('chat.translation.translatedFrom', { language: languageName(d.from) }) : t('chat.translation.translated')}</span>
      <span aria-hidden="true">·</span>
      <button type="button" class="button button-link button-small msg-translation-toggle" aria-pressed={d.showingOriginal} onClick={() => chat.translations.toggle(m.id)}>
        {d.showingOriginal ? t('chat.translation.showTranslation') : t('chat.translation.showOriginal')}
      </button>
    </p>
  );
}
