import { effect, signal, type ReadonlySignal } from '@preact/signals';

/**
 * Which translated messages the reader switched to their original. Remembered while their conversation is
 * on screen (rows scrolled out of the virtual list and back keep it), forgotten once it is closed.
 */
export function createTranslationToggles(visibleId: ReadonlySignal<string | null>) {
  const original = signal<ReadonlySet<string>>(new Set());
  let openId = visibleId.peek();
  const stop = effect(() => {
    const id = visibleId.value;
    if (id !== openId && original.peek().size > 0) original.value = new Set();
    openId = id;
  });

  return {
    showsOriginal: (messageId: string): boolean => original.value.has(messageId),
    toggle(messageId: string): void {
      const next = new Set(original.value);
      if (!next.delete(messageId)) next.add(messageId);
      original.value = next;
    },
    dispose: stop,
  };
}
export type TranslationToggles = ReturnType<typeof createTranslationToggles>;
