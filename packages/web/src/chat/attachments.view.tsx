import { useEffect, useRef, useState } from 'preact/hooks';
import type { AttachmentView } from '@ashchat/contracts';
import { t } from '../i18n/i18n.js';
import { downloadFile, sizeLabel, useBlobUrl } from './attachments.store.js';
import './files.css';

const path = (conversationId: string, a: AttachmentView, part = '') =>
  `/v1/conversations/${encodeURIComponent(conversationId)}/attachments/${encodeURIComponent(a.id)}${part}`;

/** The full image over the page, until closed (Escape, the button or a click beside it). */
function ImageViewer({ src, name, onClose }: { src: string; name: string; onClose(): void }) {
  const url = useBlobUrl(src);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div
      class="image-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={t('files.viewer', { name })}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
      onClick={(e) => e.target === e.currentTarget && onClose()}
    >
      <button ref={close} type="button" class="button button-secondary image-viewer-close" onClick={onClose}>
        {t('files.close')}
      </button>
      {url ? <img src={url} alt={name} /> : <p>{t('files.loading')}</p>}
    </div>
  );
}

function ImageAttachment({ conversationId, a }: { conversationId: string; a: AttachmentView }) {
  const thumb = useBlobUrl(path(conversationId, a, '/thumbnail'));
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="attachment-image" aria-label={t('files.image', { name: a.name })} onClick={() => setOpen(true)}>
        {thumb ? <img src={thumb} alt={a.name} width={a.image?.width} height={a.image?.height} /> : <span class="attachment-placeholder">{t('files.loading')}</span>}
      </button>
      {open && <ImageViewer src={path(conversationId, a)} name={a.name} onClose={() => setOpen(false)} />}
    </>
  );
}

/** A message's files: images as thumbnails (full size on click), other files as a download with name and size. */
export function MessageAttachments({ conversationId, attachments }: { conversationId: string; attachments: readonly AttachmentView[] }) {
  if (attachments.length === 0) return null;
  return (
    <ul class="attachments">
      {attachments.map((a) => (
        <li key={a.id}>
          {a.thumbnail ? (
            <ImageAttachment conversationId={conversationId} a={a} />
          ) : (
            <button type="button" class="button button-link attachment-file" onClick={() => void downloadFile(path(conversationId, a), a.name).catch(() => undefined)}>
              {t('files.download', { name: a.name, size: sizeLabel(a.size) })}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
