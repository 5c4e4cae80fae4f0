import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Button, Notice } from '../app/ui.js';
import { language, t, type MessageKey } from '../i18n/i18n.js';
import { settingsErrorText } from './settings.errors.js';
import { formatDate, formatWhen } from './settings.format.js';
import type { Loaded } from './settings.load.js';

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

/** A list's state before it has data: its loading line, or its refusal with a Retry button. */
export function LoadState({ data, error, reload }: Loaded<unknown>) {
  if (error !== null) {
    return (
      <div class="settings-actions">
        <Notice kind="error">{settingsErrorText(error)}</Notice>
        <Button type="button" kind="secondary" onClick={reload}>
          {t('settings.retry')}
        </Button>
      </div>
    );
  }
  return data === null ? <p class="loading">{t('settings.loading')}</p> : null;
}

interface ItemProps {
  name: string;
  current: boolean;
  /** Its times, each as "<label> <how long ago>" with the full date on hover. */
  times: [label: MessageKey, at: string][];
  now: number;
  /** The row's action. */
  children: ComponentChildren;
}

/** A row of the sessions or devices list: which device, whether it is this one, when, and what can be done. */
export function Item({ name, current, times, now, children }: ItemProps) {
  const lang = language.value;
  return (
    <li class="settings-item">
      <div class="settings-item-text">
        <p class="settings-item-name">
          {name} {current && <span class="settings-badge">{t('settings.thisDevice')}</span>}
        </p>
        <p class="settings-item-meta">
          {times.map(([label, at]) => (
            <span key={label} title={formatDate(at, lang)}>
              {t(label, { time: formatWhen(at, now, lang) })}
            </span>
          ))}
        </p>
      </div>
      {children}
    </li>
  );
}

interface FormProps {
  onSubmit: () => void | Promise<void>;
  submit: { label: string; busy: boolean; disabled?: boolean; kind?: 'primary' | 'danger' };
  children: ComponentChildren;
}

/** A settings form: its fields, then its submit button on the actions row. */
export function Form({ onSubmit, submit, children }: FormProps) {
  return (
    <form
      class="form"
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit();
      }}
    >
      {children}
      <div class="settings-actions">
        <Button type="submit" kind={submit.kind} busy={submit.busy} disabled={submit.disabled}>
          {submit.label}
        </Button>
      </div>
    </form>
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
