import { useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { useNow } from '../app/use-now.js';
import { formatCountdown } from '../auth/code-flow.model.js';
import { t } from '../i18n/i18n.js';
import { retryAt, settingsErrorText } from './settings.errors.js';

/**
 * A password-guarded form's submit: busy while `act` runs, its refusal kept for the fields to show.
 * A rate limit disables the submit button and counts down to when it works again, then goes away.
 * `ticking` keeps `now` running for the form's own use.
 */
export function useGuardedSubmit(ticking = false) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const now = useNow(ticking || blockedUntil !== null);
  const blocked = blockedUntil !== null && blockedUntil > now;

  const run = async (act: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await act();
    } catch (caught) {
      setError(caught);
      setBlockedUntil(retryAt(caught));
    } finally {
      setBusy(false);
    }
  };

  /** The form's own error line: for a refusal none of its fields shows. */
  const formError = (shownByField: boolean): string | null => {
    if (!error || shownByField) return null;
    const limited = error instanceof ApiError && error.code === 'RATE_LIMITED' && blockedUntil !== null;
    if (!limited) return settingsErrorText(error);
    return blocked ? t('settings.retryIn', { time: formatCountdown(blockedUntil - now) }) : null;
  };

  return { busy, error, setError, now, blocked, run, formError };
}
