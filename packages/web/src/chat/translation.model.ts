import type { MessageTranslation, MessageView } from '@ashchat/contracts';

/**
 * Pure logic of machine-translated messages: which translation a message keeps when views of it meet,
 * and what the reader sees (the translation, the original with a note, or just the original).
 */

/** How settled a translation is: a result beats "asked for", which beats nothing known. */
function rank(t: MessageTranslation | null): number {
  return t === null ? 0 : t.status === 'pending' ? 1 : 2;
}

/**
 * `newer` is the view `newerVersion` chose over `known`. Of the same text (no edit, no deletion between
 * them), the more settled translation stays: a live `message.new` (null) or a page asked for before the
 * translation arrived (pending) must not take back a translation already shown. A new text (edit) or another
 * language (the reader changed theirs) takes the newer view's, null included: the old text's is stale.
 */
export function keepTranslation<M extends MessageView>(known: M, newer: M): M {
  if (newer === known || newer.translation === known.translation) return newer;
  const sameText = newer.editedAt === known.editedAt && newer.deletedAt === null && known.deletedAt === null;
  if (!sameText || known.translation === null) return newer;
  if (newer.translation !== null && newer.translation.language !== known.translation.language) return newer;
  return rank(known.translation) > rank(newer.translation) ? { ...newer, translation: known.translation } : newer;
}

/** A `message.translated` event: the stored message with this id gets the translation (replacing any). */
export function applyTranslation<M extends MessageView & { state: string }>(list: readonly M[], messageId: string, translation: MessageTranslation): M[] {
  let changed = false;
  const next = list.map((m) => {
    if (m.state !== 'sent' || m.id !== messageId || m.deletedAt !== null) return m;
    changed = true;
    return { ...m, translation };
  });
  return changed ? next : (list as M[]);
}

/** What the reader sees of a message's translation. */
export type TranslationDisplay =
  | { kind: 'none' }
  | { kind: 'translated'; text: string; from: string | null; showingOriginal: boolean }
  | { kind: 'pending' }
  | { kind: 'untranslated'; reason: NonNullable<MessageTranslation['reason']> | null; from: string | null; to: string };

export interface DisplayOptions {
  /** The message is the reader's own: never translated. */
  mine: boolean;
  /** The reader's autoTranslate setting: off shows every message as written. */
  autoTranslate: boolean;
  /** The reader asked to see this message's original. */
  showOriginal: boolean;
}

export function translationDisplay(m: Pick<MessageView, 'body' | 'deletedAt' | 'language' | 'translation'>, o: DisplayOptions): TranslationDisplay {
  const tr = m.translation;
  if (o.mine || !o.autoTranslate || tr === null || m.deletedAt !== null || !m.body) return { kind: 'none' };
  if (tr.status === 'translated' && tr.text !== null) return { kind: 'translated', text: tr.text, from: m.language, showingOriginal: o.showOriginal };
  if (tr.status === 'pending') return { kind: 'pending' };
  if (tr.status === 'untranslated') return { kind: 'untranslated', reason: tr.reason, from: m.language, to: tr.language };
  return { kind: 'none' };
}

/** The text shown as the message body: the translation unless the original was asked for. */
export function shownBody(m: Pick<MessageView, 'body'>, d: TranslationDisplay): string {
  return d.kind === 'translated' && !d.showingOriginal ? d.text : (m.body ?? '');
}
