import type { SessionList, SessionView } from '@ashchat/contracts';
import { useState } from 'preact/hooks';
import { http, session } from '../api/api.js';
import { useNow } from '../app/use-now.js';
import { Button, Notice } from '../app/ui.js';
import { language, t } from '../i18n/i18n.js';
import { settingsErrorText } from './settings.errors.js';
import { formatDate, formatWhen } from './settings.format.js';
import { useLoad } from './settings.load.js';
import { endSession } from './settings.session.js';
import { ConfirmAction, Section } from './settings.ui.js';

const nameOf = (s: SessionView): string => s.deviceName ?? t('settings.unnamedDevice');

/** GET /v1/sessions: where the account is signed in; end one, sign out here, or everywhere. */
export function SessionsView({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { data, error, reload } = useLoad<SessionList>('/v1/sessions', version);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const now = useNow(true, 30_000);
  const lang = language.value;

  const end = async (target: SessionView) => {
    setBusy(target.sessionId);
    setOutcome(null);
    try {
      await http.request('DELETE', `/v1/sessions/${encodeURIComponent(target.sessionId)}`);
      setOutcome({ kind: 'success', text: t('settings.sessions.ended', { device: nameOf(target) }) });
      onChanged();
    } catch (caught) {
      setOutcome({ kind: 'error', text: settingsErrorText(caught) });
      reload();
    } finally {
      setBusy(null);
    }
  };

  const everywhere = async () => {
    setBusy('all');
    await endSession('settings.sessions.everywhereDone', 'all');
  };

  return (
    <Section id="sessions" title={t('settings.sessions.title')} intro={t('settings.sessions.intro')}>
      {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
      {error !== null && (
        <div class="settings-actions">
          <Notice kind="error">{settingsErrorText(error)}</Notice>
          <Button type="button" kind="secondary" onClick={reload}>
            {t('settings.retry')}
          </Button>
        </div>
      )}
      {data === null && error === null && <p class="loading">{t('settings.loading')}</p>}
      {data && (
        <ul class="settings-list" aria-label={t('settings.sessions.title')}>
          {data.sessions.map((s) => (
            <li key={s.sessionId} class="settings-item">
              <div class="settings-item-text">
                <p class="settings-item-name">
                  {nameOf(s)} {s.current && <span class="settings-badge">{t('settings.thisDevice')}</span>}
                </p>
                <p class="settings-item-meta">
                  <span title={formatDate(s.createdAt, lang)}>{t('settings.sessions.created', { time: formatWhen(s.createdAt, now, lang) })}</span>
                  <span title={formatDate(s.lastUsedAt, lang)}>{t('settings.sessions.lastUsed', { time: formatWhen(s.lastUsedAt, now, lang) })}</span>
                </p>
              </div>
              {s.current ? (
                <Button type="button" kind="secondary" onClick={() => void session.signOut(null, { revoke: 'current' })}>
                  {t('settings.sessions.signOutHere')}
                </Button>
              ) : (
                <Button
                  type="button"
                  kind="secondary"
                  busy={busy === s.sessionId}
                  aria-label={t('settings.sessions.endNamed', { device: nameOf(s) })}
                  onClick={() => void end(s)}
                >
                  {t('settings.sessions.end')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {data && data.sessions.length < 2 && <p class="settings-intro">{t('settings.sessions.none')}</p>}
      <div class="settings-actions">
        <ConfirmAction
          label={t('settings.sessions.everywhere')}
          question={t('settings.sessions.everywhereConfirm')}
          kind="danger"
          busy={busy === 'all'}
          onConfirm={everywhere}
        />
      </div>
    </Section>
  );
}
