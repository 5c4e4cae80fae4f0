import { ApiError } from '../api/api.js';
import { errorText } from '../i18n/error.text.js';
import { isMessageKey, t } from '../i18n/i18n.js';
import { formatCountdown } from '../auth/code-flow.model.js';

/** The settings' own text for a refusal (wrong password, gone session/device, weak password reason), else the shared one. */
export function settingsErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'WEAK_PASSWORD') {
      const key = `settings.weak.${String(error.detail('reason'))}`;
      return isMessageKey(key) ? t(key) : t('error.WEAK_PASSWORD');
    }
    if (error.code === 'RATE_LIMITED' && error.retryAfterMs !== undefined) return t('settings.retryIn', { time: formatCountdown(error.retryAfterMs) });
    const key = `settings.error.${error.code}`;
    if (isMessageKey(key)) return t(key);
  }
  return errorText(error);
}

/** When a refused request may be tried again (epoch ms), for rate limits that said so; null otherwise. */
export function retryAt(error: unknown, now = Date.now()): number | null {
  return error instanceof ApiError && error.code === 'RATE_LIMITED' && error.retryAfterMs !== undefined ? now + error.retryAfterMs : null;
}
