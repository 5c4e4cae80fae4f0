import type { DeviceList, DeviceView } from '@ashchat/contracts';
import { http } from '../api/api.js';
import { useNow } from '../app/use-now.js';
import { Notice } from '../app/ui.js';
import { t } from '../i18n/i18n.js';
import { useLoad, useRowAction } from './settings.load.js';
import { endSession } from './settings.session.js';
import { ConfirmAction, Item, LoadState, Section } from './settings.ui.js';

const nameOf = (d: DeviceView): string => d.name ?? t('settings.unnamedDevice');

/** GET /v1/devices: the trusted devices; removing one ends its sessions (this one's too, which signs out here). */
export function DevicesView({ version, onChanged }: { version: number; onChanged: () => void }) {
  const list = useLoad<DeviceList>('/v1/devices', version);
  const { busy, outcome, run } = useRowAction(list.reload, onChanged);
  const now = useNow(true, 30_000);
  const data = list.data;

  const untrust = (device: DeviceView) =>
    run(device.deviceId, async () => {
      await http.request('DELETE', `/v1/devices/${encodeURIComponent(device.deviceId)}`);
      // The server ended this session with the device: nothing left to revoke, only to say why.
      if (device.current) {
        await endSession('settings.devices.removedCurrent');
        return null;
      }
      return t('settings.devices.removed', { device: nameOf(device) });
    });

  return (
    <Section id="devices" title={t('settings.devices.title')} intro={t('settings.devices.intro')}>
      {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
      <LoadState {...list} />
      {data && data.devices.length === 0 && <p class="settings-intro">{t('settings.devices.none')}</p>}
      {data && data.devices.length > 0 && (
        <ul class="settings-list" aria-label={t('settings.devices.title')}>
          {data.devices.map((d) => (
            <Item
              key={d.deviceId}
              name={nameOf(d)}
              current={d.current}
              now={now}
              times={[
                ['settings.devices.trusted', d.trustedAt],
                ['settings.devices.lastSeen', d.lastSeenAt],
              ]}
            >
              <ConfirmAction
                label={t('settings.devices.remove')}
                name={t('settings.devices.removeNamed', { device: d.current ? t('settings.thisDevice') : nameOf(d) })}
                question={d.current ? t('settings.devices.confirmCurrent') : t('settings.devices.confirmOther', { device: nameOf(d) })}
                busy={busy === d.deviceId}
                onConfirm={() => untrust(d)}
              />
            </Item>
          ))}
        </ul>
      )}
    </Section>
  );
}
