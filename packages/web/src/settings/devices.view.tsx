import type { DeviceList, DeviceView } from '@ashchat/contracts';
import { useState } from 'preact/hooks';
import { http } from '../api/api.js';
import { useNow } from '../app/use-now.js';
import { Button, Notice } from '../app/ui.js';
import { language, t } from '../i18n/i18n.js';
import { settingsErrorText } from './settings.errors.js';
import { formatDate, formatWhen } from './settings.format.js';
import { useLoad } from './settings.load.js';
import { endSession } from './settings.session.js';
import { ConfirmAction, Section } from './settings.ui.js';

const nameOf = (d: DeviceView): string => d.name ?? t('settings.unnamedDevice');

/** GET /v1/devices: the trusted devices; removing one ends its sessions (this one's too, which signs out here). */
export function DevicesView({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { data, error, reload } = useLoad<DeviceList>('/v1/devices', version);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const now = useNow(true, 30_000);
  const lang = language.value;

  const untrust = async (device: DeviceView) => {
    setBusy(device.deviceId);
    setOutcome(null);
    try {
      await http.request('DELETE', `/v1/devices/${encodeURIComponent(device.deviceId)}`);
      // The server ended this session with the device: nothing left to revoke, only to say why.
      if (device.current) return await endSession('settings.devices.removedCurrent');
      setOutcome({ kind: 'success', text: t('settings.devices.removed', { device: nameOf(device) }) });
      onChanged();
    } catch (caught) {
      setOutcome({ kind: 'error', text: settingsErrorText(caught) });
      reload();
    } finally {
      setBusy(null);
    }
  };

  return (
    <Section id="devices" title={t('settings.devices.title')} intro={t('settings.devices.intro')}>
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
      {data && data.devices.length === 0 && <p class="settings-intro">{t('settings.devices.none')}</p>}
      {data && data.devices.length > 0 && (
        <ul class="settings-list" aria-label={t('settings.devices.title')}>
          {data.devices.map((d) => (
            <li key={d.deviceId} class="settings-item">
              <div class="settings-item-text">
                <p class="settings-item-name">
                  {nameOf(d)} {d.current && <span class="settings-badge">{t('settings.thisDevice')}</span>}
                </p>
                <p class="settings-item-meta">
                  <span title={formatDate(d.trustedAt, lang)}>{t('settings.devices.trusted', { time: formatWhen(d.trustedAt, now, lang) })}</span>
                  <span title={formatDate(d.lastSeenAt, lang)}>{t('settings.devices.lastSeen', { time: formatWhen(d.lastSeenAt, now, lang) })}</span>
                </p>
              </div>
              <ConfirmAction
                label={t('settings.devices.remove')}
                name={t('settings.devices.removeNamed', { device: d.current ? t('settings.thisDevice') : nameOf(d) })}
                question={d.current ? t('settings.devices.confirmCurrent') : t('settings.devices.confirmOther', { device: nameOf(d) })}
                busy={busy === d.deviceId}
                onConfirm={() => untrust(d)}
              />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
