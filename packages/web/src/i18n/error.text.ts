import { ApiError } from '../api/api.error.js';
import { isMessageKey, t } from './i18n.js';

/** What to tell the user about a failed request: the catalogue's text for its code, else the server's message. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    if (isMessageKey(key)) return t(key);
    return error.message;
  }
  return t('error.INTERNAL_ERROR');
}
