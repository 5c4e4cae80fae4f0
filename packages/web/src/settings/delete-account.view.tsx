import { useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { useNow } from '../app/use-now.js';
import { Button, Field, Notice } from '../app/ui.js';
import { formatCountdown } from '../auth/code-flow.model.js';
import { t } from '../i18n/i18n.js';
import { deleteAccount, deletion } from './account-deletion.store.js';
import { retryAt, settingsErrorText } from './settings.errors.js';
import { Section } from './settings.ui.js';

const SLOW_MS = 15_000;

/** DELETE /v1/me: the password and an explicit tick; then the deletion's progress until it signs out. */
export function DeleteAccountView() {
  const [password, setPassword] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const running = deletion.value;
  const now = useNow(blockedUntil !== null || running !== null);
  const blocked = blockedUntil !== null && blockedUntil > now;

  const submit = async () => {
    if (!confirmed) {
      setError('unconfirmed');
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await deleteAccount(password);
      setPassword('');
    } catch (caught) {
      setError(caught);
      setBlockedUntil(retryAt(caught));
    } finally {
      setBusy(false);
    }
  };

  if (running) {
    return (
      <Section id="delete" title={t('settings.delete.title')}>
        <Notice kind="warning">
          <span class="settings-progress" aria-hidden="true" />
          {t('settings.delete.deleting')}
        </Notice>
        {now - running.startedAt > SLOW_MS && <p class="settings-intro">{t('settings.delete.slow')}</p>}
      </Section>
    );
  }

  const code = error instanceof ApiError ? error.code : null;
  const passwordError = code === 'WRONG_PASSWORD' ? settingsErrorText(error) : null;
  const confirmError = error === 'unconfirmed' ? t('settings.delete.needConfirm') : null;
  const limited = code === 'RATE_LIMITED' && blockedUntil !== null;
  const formError =
    !error || passwordError || confirmError ? null : limited ? (blocked ? t('settings.retryIn', { time: formatCountdown(blockedUntil - now) }) : null) : settingsErrorText(error);

  return (
    <Section id="delete" title={t('settings.delete.title')} intro={t('settings.delete.intro')}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {formError && <Notice kind="error">{formError}</Notice>}
        <Field
          label={t('settings.delete.password')}
          type="password"
          name="delete-password"
          autoComplete="current-password"
          required
          error={passwordError}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <div class="field">
          <label class="settings-check">
            <input
              type="checkbox"
              name="confirm-delete"
              checked={confirmed}
              aria-invalid={confirmError ? true : undefined}
              aria-describedby={confirmError ? 'delete-confirm-error' : undefined}
              onChange={(e) => setConfirmed(e.currentTarget.checked)}
            />
            <span>{t('settings.delete.confirm')}</span>
          </label>
          {confirmError && (
            <p class="field-error" id="delete-confirm-error">
              {confirmError}
            </p>
          )}
        </div>
        <div class="settings-actions">
          <Button type="submit" kind="danger" busy={busy} disabled={blocked}>
            {t('settings.delete.submit')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
