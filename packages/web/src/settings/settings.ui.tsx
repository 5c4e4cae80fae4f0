import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Button } from '../app/ui.js';
import { t } from '../i18n/i18n.js';

/** One settings section: a card with a heading the page's nav links to. */
export function Section({ id, title, intro, children }: { id: string; title: string; intro?: string; children: ComponentChildren }) {
  return (
    <section class="settings-section" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro && <p class="settings-intro">{intro}</p>}
      {children}
    </section>
  );
}

interface ConfirmActionProps {
  label: string;
  /** The trigger's accessible name when `label` alone is ambiguous in a list ("Remove" → "Remove Ada's phone"). */
  name?: string;
  question: string;
  confirmLabel?: string;
  kind?: 'secondary' | 'danger';
  busy?: boolean;
  onConfirm: () => void | Promise<void>;
}

/**
 * A button that asks before it acts: the question and the confirm/cancel buttons appear in place,
 * the confirm button takes the focus, Escape or Cancel go back to the trigger.
 */
export function ConfirmAction({ label, name, question, confirmLabel, kind = 'secondary', busy, onConfirm }: ConfirmActionProps) {
  const [open, setOpen] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) confirmRef.current?.focus();
    else if (wasOpen.current) triggerRef.current?.focus();
    wasOpen.current = open;
  }, [open]);

  if (!open) {
    return (
      <button ref={triggerRef} type="button" class={`button button-${kind}`} aria-label={name} onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  return (
    <div
      class="settings-confirm"
      role="group"
      aria-label={name ?? label}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setOpen(false);
      }}
    >
      <p>{question}</p>
      <div class="settings-actions">
        <button ref={confirmRef} type="button" class="button button-danger" aria-busy={busy ? true : undefined} disabled={busy} onClick={() => void onConfirm()}>
          {confirmLabel ?? label}
        </button>
        <Button type="button" kind="secondary" disabled={busy} onClick={() => setOpen(false)}>
          {t('settings.cancel')}
        </Button>
      </div>
    </div>
  );
}
