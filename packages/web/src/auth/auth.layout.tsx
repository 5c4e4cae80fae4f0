import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { t } from '../i18n/i18n.js';

/** The frame of every signed-out screen: the app's name over a card with the screen's title. */
export function AuthCard({ title, intro, children }: { title: string; intro?: string | undefined; children: ComponentChildren }) {
  const id = useId();
  return (
    <main class="card-page">
      <section class="card" aria-labelledby={id}>
        <p class="card-brand">
          <span aria-hidden="true">◆</span> {t('app.name')}
        </p>
        <h1 id={id}>{title}</h1>
        {intro && <p class="card-intro">{intro}</p>}
        {children}
      </section>
    </main>
  );
}

/** The server's per-field complaints of a VALIDATION_FAILED (`details: [{ path: '/email', message }]`), by field. */
export function fieldErrors(details: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Array.isArray(details)) return errors;
  for (const item of details as { path?: unknown; message?: unknown }[]) {
    if (typeof item?.path !== 'string' || typeof item.message !== 'string') continue;
    const field = item.path.replace(/^\//, '').split('/')[0];
    if (field && !errors[field]) errors[field] = item.message;
  }
  return errors;
}
