import type { ComponentChildren } from 'preact';
import { session } from '../api/api.js';
import { t } from '../i18n/i18n.js';
import { connectionStatus } from './connection.signal.js';
import { Link } from './router.js';

/** The signed-in frame: header (name, chats, settings, sign out), the connection banner, the page. */
export function Shell({ children }: { children: ComponentChildren }) {
  const status = connectionStatus.value;
  return (
    <div class="shell">
      <header class="topbar">
        <Link href="/" class="brand">
          <span class="brand-mark" aria-hidden="true">
            ◆
          </span>
          {t('app.name')}
        </Link>
        <nav class="topnav" aria-label={t('app.nav.main')}>
          <Link href="/">{t('app.nav.conversations')}</Link>
          <Link href="/settings">{t('app.nav.settings')}</Link>
          <button type="button" class="button button-link" onClick={() => void session.signOut(null, { revoke: 'current' })}>
            {t('app.nav.signOut')}
          </button>
        </nav>
      </header>
      {status !== 'online' && (
        <div class={`connection-banner connection-${status}`} role="status">
          {t(status === 'offline' ? 'app.connection.offline' : 'app.connection.connecting')}
        </div>
      )}
      <div class="shell-body">{children}</div>
    </div>
  );
}
