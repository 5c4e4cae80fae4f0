import type { SessionList, SessionView } from '@ashchat/contracts';
import { http, session } from '../api/api.js';
import { useNow } from '../app/use-now.js';
import { Button, Notice } from '../app/ui.js';
import { t } from '../i18n/i18n.js';
import { useLoad, useRowAction } from './settings.load.js';
import { endSession } from './settings.session.js';
import { ConfirmAction, Item, LoadState, Section } from './settings.ui.js';

const nameOf = (s: SessionView): string => s.deviceName ?? t('settings.unnamedDevice');

/** GET /v1/sessions: where the account is signed in; end one, sign out here, or everywhere. */
export function SessionsView({ version, onChanged }: { version: number; onChanged: () => void }) {
  const list = useLoad<SessionList>('/v1/sessions', version);
  const { busy, outcome, run } = useRowAction(list.reload, onChanged);
  const now = useNow(true, 30_000);
  const data = list.data;

  const end = (target: SessionView) =>
    run(target.sessionId, async () => {
      await http.request('DELETE', `/v1/sessions/${encodeURIComponent(target.sessionId)}`);
      return t('settings.sessions.ended', { device: nameOf(target) });
    });

  const everywhere = () =>
    run('all', async () => {
      await endSession('settings.sessions.everywhereDone', 'all');
      return null;
    });

  return (
    <Section id="sessions" title={t('settings.sessions.title')} intro={t('settings.sessions.intro')}>
      {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
      <LoadState {...list} />
      {data && (
        <ul class="settings-list" aria-label={t('settings.sessions.title')}>
          {data.sessions.map((s) => (
            <Item
              key={s.sessionId}
              name={nameOf(s)}
              current={s.current}
              now={now}
              times={[
                ['settings.sessions.created', s.createdAt],
                ['settings.sessions.lastUsed', s.lastUsedAt],
              ]}
            >
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
            </Item>
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
