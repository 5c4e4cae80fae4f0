import { t } from '../i18n/i18n.js';

/** Settings at `/settings` (placeholder until the settings screens land). */
export function SettingsScreen() {
  return (
    <section class="page">
      <h1>{t('app.nav.settings')}</h1>
    </section>
  );
}
