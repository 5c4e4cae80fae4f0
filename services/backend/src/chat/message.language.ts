import { francAll } from 'franc-min';

/**
 * The language of a message body: the sender's own language, unless a small detector with bundled
 * data (franc-min, trigrams) says confidently that the text is in another one. Short texts and
 * close calls keep the sender's: a wrong guess would translate a message its readers could read.
 */

/** franc's ISO 639-3 codes of the languages it may overrule the sender with → ours (ISO 639-1). */
const DETECTABLE: Readonly<Record<string, string>> = { eng: 'en', spa: 'es', fra: 'fr', deu: 'de', ita: 'it', por: 'pt', nld: 'nl' };
/** Below this many characters franc answers 'und' (too little to tell). */
const MIN_LENGTH = 20;
/** The runner-up must score below this (the best scores 1): a close call is no call. */
const MAX_RUNNER_UP = 0.9;

/** A BCP 47 tag's primary subtag, lower case (`pt-BR` → `pt`); null when it is no language code (`i-klingon`, `x-…`). */
export function translationLanguageOf(tag: string | null | undefined): string | null {
  const primary = (tag ?? '').split(/[-_]/)[0]!.toLowerCase();
  return /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

/** Whether the text has anything to translate: at least one letter (emoji, digits and punctuation do not count). */
export const hasLetters = (text: string | null | undefined): boolean => /\p{L}/u.test(text ?? '');

/** The body's language: detected when confident, else the sender's (null if the sender's is none either). */
export function detectMessageLanguage(text: string, senderTag: string | null | undefined): string | null {
  const sender = translationLanguageOf(senderTag);
  if (text.length < MIN_LENGTH || !hasLetters(text)) return sender;
  const [best, runnerUp] = francAll(text, { only: Object.keys(DETECTABLE), minLength: MIN_LENGTH });
  const detected = best ? DETECTABLE[best[0]] : undefined;
  if (!detected || (runnerUp && runnerUp[1] >= MAX_RUNNER_UP)) return sender;
  return detected;
}
