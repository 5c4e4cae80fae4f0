import { signal, type Signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import type { AttachmentView, AvatarView, ErrorResponse } from '@ashchat/contracts';
import { ApiError, http, session } from '../api/api.js';
import { language } from '../i18n/i18n.js';
import { sizeLabel as formatSize } from './file-size.format.js';

/** One file of the composer: uploading (with progress), ready to send, or refused. */
export interface PendingUpload {
  key: string;
  name: string;
  size: number;
  /** 0–100 while uploading. */
  progress: number;
  view: AttachmentView | null;
  error: string | null;
  abort?: () => void;
}

/** Most files one message carries (the server's MAX_ATTACHMENTS_PER_MESSAGE). */
export const MAX_FILES = 10;

/**
 * One request with a file (multipart, field `file`) and the bearer header. XHR, because fetch reports
 * no upload progress; a 401 refreshes the token once and tries again, like every other request.
 */
export function sendFile<T>(method: 'POST' | 'PUT', path: string, file: Blob, name: string, onProgress: (percent: number) => void, register?: (abort: () => void) => void): Promise<T> {
  const attempt = (token: string | null) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, path);
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.response as unknown });
      xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'network error'));
      xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'aborted'));
      register?.(() => xhr.abort());
      const form = new FormData();
      form.append('file', file, name);
      xhr.send(form);
    });
  const fail = (status: number, body: unknown): ApiError => ApiError.fromResponse(status, (body ?? undefined) as Partial<ErrorResponse> | undefined, null);
  return (async () => {
    let answer = await attempt(await session.accessToken());
    if (answer.status === 401) answer = await attempt(await session.refresh());
    if (answer.status >= 200 && answer.status < 300) return answer.body as T;
    throw fail(answer.status, answer.body);
  })();
}

const pendingByConversation = new Map<string, Signal<PendingUpload[]>>();
let counter = 0;

/** The files waiting in a conversation's composer. */
export function pendingUploads(conversationId: string): Signal<PendingUpload[]> {
  let s = pendingByConversation.get(conversationId);
  if (!s) pendingByConversation.set(conversationId, (s = signal<PendingUpload[]>([])));
  return s;
}

function change(conversationId: string, key: string, patch: Partial<PendingUpload>): void {
  const s = pendingUploads(conversationId);
  s.value = s.value.map((p) => (p.key === key ? { ...p, ...patch } : p));
}

/** Starts uploading each file (up to MAX_FILES waiting at once). */
export function attachFiles(conversationId: string, files: readonly File[]): void {
  const s = pendingUploads(conversationId);
  for (const file of files.slice(0, Math.max(0, MAX_FILES - s.value.length))) {
    const key = `u${(counter += 1)}`;
    s.value = [...s.value, { key, name: file.name || 'file', size: file.size, progress: 0, view: null, error: null }];
    sendFile<AttachmentView>(
      'POST',
      `/v1/conversations/${encodeURIComponent(conversationId)}/attachments`,
      file,
      file.name || 'file',
      (progress) => change(conversationId, key, { progress }),
      (abort) => change(conversationId, key, { abort }),
    ).then(
      (view) => change(conversationId, key, { view, progress: 100 }),
      (error: unknown) => change(conversationId, key, { error: error instanceof ApiError ? error.code : 'NETWORK_ERROR' }),
    );
  }
}

export function removeUpload(conversationId: string, key: string): void {
  const s = pendingUploads(conversationId);
  s.value.find((p) => p.key === key)?.abort?.();
  s.value = s.value.filter((p) => p.key !== key);
}

/** The uploaded files, taken out of the composer for a send (refused ones stay to be removed). */
export function takeUploaded(conversationId: string): AttachmentView[] {
  const s = pendingUploads(conversationId);
  const ready = s.value.flatMap((p) => (p.view ? [p.view] : []));
  s.value = s.value.filter((p) => !p.view);
  return ready;
}

/** The bytes of an API path as a `blob:` URL (an <img src> cannot carry the bearer header); the caller revokes it. */
export async function fetchBlobUrl(path: string): Promise<string> {
  const get = async (token: string | null) => fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  let res = await get(await session.accessToken());
  if (res.status === 401) res = await get(await session.refresh());
  if (!res.ok) throw ApiError.fromResponse(res.status, (await res.json().catch(() => undefined)) as Partial<ErrorResponse> | undefined, null);
  return URL.createObjectURL(await res.blob());
}

/** A `blob:` URL of an API path while the component is mounted (null while loading or after a failure); revoked on unmount. */
export function useBlobUrl(path: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!path) return undefined;
    let live = true;
    let made: string | null = null;
    fetchBlobUrl(path).then(
      (u) => {
        made = u;
        if (live) setUrl(u);
        else URL.revokeObjectURL(u);
      },
      () => undefined,
    );
    return () => {
      live = false;
      setUrl(null);
      if (made) URL.revokeObjectURL(made);
    };
  }, [path]);
  return url;
}

/** Saves a file: fetched with the header, handed to the browser as a download under its name. */
export async function downloadFile(path: string, name: string): Promise<void> {
  const url = await fetchBlobUrl(path);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the URL by the next task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The signed-in user's avatar: set from an image file, or removed. The profile is reloaded after. */
export async function setAvatar(file: File | null): Promise<AvatarView> {
  const result = file
    ? await sendFile<AvatarView>('PUT', '/v1/me/avatar', file, file.name || 'avatar', () => undefined)
    : await http.request<AvatarView>('DELETE', '/v1/me/avatar');
  await session.reloadMe();
  return result;
}

/** "1.2 MB" and the like, for chips and download links. */
/** A file size in the UI's language (file-size.format.ts). */
export const sizeLabel = (bytes: number): string => formatSize(bytes, language.value);
