import type { MeView } from '@ashchat/contracts';
import { useId, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { Notice } from '../app/ui.js';
import { t } from '../i18n/i18n.js';
import { errorText } from '../i18n/error.text.js';
import { setAvatar } from '../chat/attachments.store.js';
import { Avatar } from '../chat/avatar.view.js';
import '../chat/files.css';

/** Settings → Profile: the picture others see (PUT/DELETE /v1/me/avatar), or the initials without one. */
export function AvatarSettings({ me }: { me: MeView }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  async function change(file: File | null): Promise<void> {
    setBusy(true);
    setNote(null);
    try {
      await setAvatar(file);
      setNote({ kind: 'success', text: t(file ? 'files.avatar.saved' : 'files.avatar.removed') });
    } catch (caught) {
      setNote({ kind: 'error', text: errorText(caught instanceof ApiError ? caught : new ApiError(0, 'INTERNAL_ERROR', String(caught))) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="avatar-settings" role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} class="visually-hidden">
        {t('files.avatar.title')}
      </p>
      <Avatar url={me.avatarUrl} name={me.nickname} size={64} />
      <input
        ref={input}
        id={id}
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        class="visually-hidden"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0] ?? null;
          e.currentTarget.value = '';
          if (file) void change(file);
        }}
      />
      <button type="button" class="button button-secondary" disabled={busy} onClick={() => input.current?.click()}>
        {t('files.avatar.choose')}
      </button>
      {me.avatarUrl ? (
        <button type="button" class="button button-link" disabled={busy} onClick={() => void change(null)}>
          {t('files.avatar.remove')}
        </button>
      ) : (
        <span>{t('files.avatar.none')}</span>
      )}
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
    </div>
  );
}
