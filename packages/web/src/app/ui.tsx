import type { ButtonHTMLAttributes, ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

/** A labelled input: the visible <label> names the field for people and for tests ("Email", "Password", …). */
export function Field({
  label,
  hint,
  error,
  ...input
}: { label: string; hint?: string | undefined; error?: string | null | undefined } & InputHTMLAttributes) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} aria-describedby={described} aria-invalid={error ? true : undefined} {...input} />
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A status line: `error` is announced at once, the others politely. */
export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'error' | 'warning'; children: ComponentChildren }) {
  return (
    <p class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

/** A centred card for the signed-out screens. */
export function Card({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main class="card-page">
      <section class="card" aria-labelledby="card-title">
        <h1 id="card-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}

export function Button({ busy, children, kind = 'primary', ...rest }: { busy?: boolean; kind?: 'primary' | 'secondary' | 'danger' | 'link' } & ButtonHTMLAttributes) {
  return (
    <button class={`button button-${kind}`} aria-busy={busy ? true : undefined} {...rest} disabled={Boolean(rest.disabled) || busy}>
      {children}
    </button>
  );
}
