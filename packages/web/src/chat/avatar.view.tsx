import type { Chat } from './chat.store.js';
import { t } from '../i18n/i18n.js';
import { useBlobUrl } from './attachments.store.js';
import './files.css';

/** Up to two initials of a name, for users without a picture. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/u).filter(Boolean);
  return parts.slice(0, 2).map((p) => [...p][0]?.toUpperCase() ?? '').join('') || '?';
}

/** A user's picture (fetched with the session's header) or, without one, their initials. */
export function Avatar({ url, name, size = 32 }: { url: string | null | undefined; name: string; size?: number }) {
  const src = useBlobUrl(url ?? null);
  return (
    <span class="user-avatar" style={{ width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px` }} aria-hidden="true">
      {src ? <img src={src} alt="" width={size} height={size} title={t('files.avatar.of', { name })} /> : initials(name)}
    </span>
  );
}

/** Inside an existing avatar circle (the conversation list's): the user's picture once loaded, else `fallback`. */
export function AvatarFace({ chat, userId, fallback }: { chat: Chat; userId: string; fallback: string }) {
  const src = useBlobUrl(chat.users.avatars.value[userId] ?? null);
  return src ? <img class="avatar-face" src={src} alt="" /> : <>{fallback}</>;
}

/** The avatar of a user the chat knows (member lists, searches, the own profile). */
export function UserAvatar({ chat, userId, name, size }: { chat: Chat; userId: string; name: string; size?: number }) {
  return <Avatar url={chat.users.avatars.value[userId]} name={name} {...(size ? { size } : {})} />;
}
