import { t } from '../i18n/i18n.js';

/** The conversation list at `/` (placeholder until the chat screens land). */
export function ConversationsScreen() {
  return (
    <section class="page">
      <h1>{t('app.nav.conversations')}</h1>
    </section>
  );
}
