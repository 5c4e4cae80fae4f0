import { useState } from 'preact/hooks';
import { session } from '../api/api.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import { DeleteAccountView } from './delete-account.view.js';
import { DevicesView } from './devices.view.js';
import { PasswordView } from './password.view.js';
import { ProfileView } from './profile.view.js';
import { SessionsView } from './sessions.view.js';
import { BlocksView } from './blocks.view.js';
import './settings.css';

const SECTIONS: [id: string, title: MessageKey][] = [
  ['profile', 'settings.profile.title'],
  ['password', 'settings.password.title'],
  ['sessions', 'settings.sessions.title'],
  ['devices', 'settings.devices.title'],
  ['blocks', 'relations.blocks.title'],
  ['delete', 'settings.delete.title'],
];

/** `/settings`: the account's profile, password, sessions, trusted devices and deletion, one section each. */
export function SettingsScreen() {
  const me = session.me.value;
  // Bumped when one section changes what another lists (a password change or a removed device ends sessions).
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((n) => n + 1);

  return (
    <main class="page settings-page">
      <h1>{t('settings.title')}</h1>
      <nav class="settings-nav" aria-label={t('settings.sections')}>
        <ul>
          {SECTIONS.map(([id, title]) => (
            <li key={id}>
              <a href={`#${id}`}>{t(title)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="settings-sections">
        {me ? <ProfileView me={me} /> : <p class="loading">{t('settings.loading')}</p>}
        <PasswordView onChanged={changed} />
        <SessionsView version={version} onChanged={changed} />
        <DevicesView version={version} onChanged={changed} />
        <BlocksView version={version} />
        <DeleteAccountView />
      </div>
    </main>
  );
}
