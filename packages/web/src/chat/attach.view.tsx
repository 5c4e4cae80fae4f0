import { useId, useRef } from 'preact/hooks';
import { t } from '../i18n/i18n.js';
import { codeText } from './chat.format.js';
import { attachFiles, MAX_FILES, pendingUploads, removeUpload, sizeLabel } from './attachments.store.js';
import './files.css';

/** The composer's attach button and the chips of its files (progress, ready, refused; each removable). */
export function AttachBar({ conversationId }: { conversationId: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const pending = pendingUploads(conversationId).value;
  return (
    <div class="attach-bar">
      <input
        id={id}
        ref={input}
        type="file"
        multiple
        class="visually-hidden"
        onChange={(e) => {
          attachFiles(conversationId, [...(e.currentTarget.files ?? [])]);
          e.currentTarget.value = '';
        }}
      />
      <button type="button" class="button button-secondary attach-button" disabled={pending.length >= MAX_FILES} onClick={() => input.current?.click()}>
        <span aria-hidden="true">📎</span>
        <span class="visually-hidden">{t('files.attach')}</span>
      </button>
      {pending.length > 0 && (
        <ul class="attach-chips" aria-label={t('files.pending')}>
          {pending.map((p) => (
            <li key={p.key} class={`attach-chip${p.error ? ' attach-chip-failed' : ''}`}>
              <span role={p.error ? 'alert' : undefined}>
                {p.error
                  ? t('files.failed', { name: p.name, reason: codeText(p.error) })
                  : p.view
                    ? t('files.ready', { name: p.name, size: sizeLabel(p.size) })
                    : t('files.uploading', { name: p.name, percent: p.progress })}
              </span>
              {!p.view && !p.error && <progress max={100} value={p.progress} aria-hidden="true" />}
              <button type="button" class="button button-link button-small" aria-label={t('files.remove', { name: p.name })} onClick={() => removeUpload(conversationId, p.key)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Files dropped on or pasted into the composer go the same way as chosen ones. */
export const dropProps = (conversationId: string) => ({
  onDragOver: (e: DragEvent) => {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  },
  onDrop: (e: DragEvent) => {
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    e.preventDefault();
    attachFiles(conversationId, files);
  },
  onPaste: (e: ClipboardEvent) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    e.preventDefault();
    attachFiles(conversationId, files);
  },
});
