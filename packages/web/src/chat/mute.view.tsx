import { signal } from '@preact/signals';
import type { ConversationView, MuteView } from '@ashchat/contracts';
import { http } from '../api/api.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import { enc } from './chat.ports.js';
import type { Chat } from './chat.store.js';
import { timeLabel } from './chat.format.js';
import './relations.css';

import { muteEnd, mutedNow, type MuteFields } from './mute.model.js';
import { RelationsError, useRelationsMenu } from './relations.menu.js';

/** What we set on this device, until the list read after it arrives (so the header changes at once). */
const overrides = signal<ReadonlyMap<string, MuteFields>>(new Map());

const HOUR = 3_600_000;
const CHOICES: [label: MessageKey, ms: number | null][] = [
  ['relations.mute.hour', HOUR],
  ['relations.mute.hours8', 8 * HOUR],
  ['relations.mute.week', 7 * 24 * HOUR],
  ['relations.mute.forGood', null],
];

/** The conversation's mute as we know it; an ended mute counts as none (the server checks the clock too). */
export function muteOf(c: ConversationView, now = Date.now()): { muted: boolean; until: string | null } {
  return mutedNow(overrides.value.get(c.id) ?? c, now);
}

function setOverride(id: string, fields: MuteFields | null): void {
  const next = new Map(overrides.value);
  if (fields) next.set(id, fields);
  else next.delete(id);
  overrides.value = next;
}

async function apply(chat: Chat, id: string, fields: MuteFields, request: () => Promise<unknown>): Promise<void> {
  await request();
  setOverride(id, fields);
  // The list read after the change carries it; until then the override shows it.
  await chat.conversations.refresh();
  setOverride(id, null);
}

/** The bell-off mark beside a muted conversation's title in the list (its unread badge is dimmed, its mention badge hidden: relations.css). */
export function MutedIcon({ c }: { c: ConversationView }) {
  const { muted, until } = muteOf(c);
  if (!muted) return null;
  const text = until ? t('relations.mutedUntil', { time: timeLabel(until) }) : t('relations.muted');
  return (
    <span class="muted-icon" title={text}>
      <span aria-hidden="true">🔕</span>
      <span class="visually-hidden">{text}</span>
    </span>
  );
}

/** Header control: Mute (for how long, from a small menu) or Unmute. */
export function MuteControl({ chat, conversation }: { chat: Chat; conversation: ConversationView }) {
  const { open, setOpen, busy, error, first, trigger, close, run: runAction } = useRelationsMenu();
  const { muted, until } = muteOf(conversation);
  const id = conversation.id;

  const run = (fields: MuteFields, request: () => Promise<unknown>) => runAction(() => apply(chat, id, fields, request));
  const mute = (ms: number | null) => {
    const mutedUntil = muteEnd(ms, Date.now());
    return run({ muted: true, mutedUntil }, () => http.request<MuteView>('PUT', `/v1/me/mutes/${enc(id)}`, { until: mutedUntil }));
  };
  const unmute = () => run({ muted: false, mutedUntil: null }, () => http.request('DELETE', `/v1/me/mutes/${enc(id)}`));

  return (
    <span class={`relations-anchor${muted ? ' mute-state-muted' : ''}`}>
      {muted ? (
        <button
          ref={trigger}
          type="button"
          class="button button-secondary button-small"
          aria-label={t('relations.unmute.label')}
          title={until ? t('relations.mutedUntil', { time: timeLabel(until) }) : t('relations.muted')}
          disabled={busy}
          onClick={() => void unmute()}
        >
          <span aria-hidden="true">🔕 </span>
          {t('relations.unmute')}
        </button>
      ) : (
        <button
          ref={trigger}
          type="button"
          class="button button-secondary button-small"
          aria-label={t('relations.mute.label')}
          aria-expanded={open}
          aria-controls={`mute-menu-${id}`}
          onClick={() => setOpen(!open)}
        >
          {t('relations.mute')}
        </button>
      )}
      {open && !muted && (
        <div
          id={`mute-menu-${id}`}
          class="relations-menu"
          role="group"
          aria-label={t('relations.mute.options')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <p class="relations-menu-title">{t('relations.mute.options')}</p>
          {CHOICES.map(([label, ms], i) => (
            <button key={label} ref={i === 0 ? first : undefined} type="button" class="button button-secondary button-small" disabled={busy} onClick={() => void mute(ms)}>
              {t(label)}
            </button>
          ))}
          <button type="button" class="button button-link button-small" onClick={() => setOpen(false)}>
            {t('relations.cancel')}
          </button>
        </div>
      )}
      <RelationsError error={error} />
    </span>
  );
}
