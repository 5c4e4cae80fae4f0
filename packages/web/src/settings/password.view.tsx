import { useState } from 'preact/hooks';
import { ApiError, http } from '../api/api.js';
import { useNow } from '../app/use-now.js';
import { Button, Field, Notice } from '../app/ui.js';
import { formatCountdown } from '../auth/code-flow.model.js';
import { t } from '../i18n/i18n.js';
import { retryAt, settingsErrorText } from './settings.errors.js';
import { Section } from './settings.ui.js';

const MIN_LENGTH = 10;

/** PUT /v1/me/password: 204 ends every other session (this one stays); refusals are shown by field. */
export function PasswordView({ onChanged }: { onChanged: () => void }) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const now = useNow(blockedUntil !== null);
  const blocked = blockedUntil !== null && blockedUntil > now;

  const submit = async () => {
    setDone(false);
    if (newPassword.length < MIN_LENGTH) {
      setError('too-short');
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await http.request('PUT', '/v1/me/password', { currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      setDone(true);
      onChanged();
    } catch (caught) {
      setError(caught);
      setBlockedUntil(retryAt(caught));
    } finally {
      setBusy(false);
    }
  };

  const code = error instanceof ApiError ? error.code : null;
  const currentError = code === 'WRONG_PASSWORD' ? settingsErrorText(error) : null;
  const newError = error === 'too-short' ? t('settings.password.tooShort') : code === 'WEAK_PASSWORD' ? settingsErrorText(error) : null;
  // A rate limit counts down to when the button works again, then goes away.
  const limited = code === 'RATE_LIMITED' && blockedUntil !== null;
  const formError =
    !error || currentError || newError ? null : limited ? (blocked ? t('settings.retryIn', { time: formatCountdown(blockedUntil - now) }) : null) : settingsErrorText(error);

  return (
    <Section id="password" title={t('settings.password.title')} intro={t('settings.password.intro')}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {done && <Notice kind="success">{t('settings.password.changed')}</Notice>}
        {formError && <Notice kind="error">{formError}</Notice>}
        <Field
          label={t('settings.password.current')}
          type="password"
          name="current-password"
          autoComplete="current-password"
          required
          error={currentError}
          value={currentPassword}
          onInput={(e) => setCurrentPassword(e.currentTarget.value)}
        />
        <Field
          label={t('settings.password.new')}
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          maxLength={256}
          hint={t('settings.password.newHint')}
          error={newError}
          value={newPassword}
          onInput={(e) => setNewPassword(e.currentTarget.value)}
        />
        <div class="settings-actions">
          <Button type="submit" busy={busy} disabled={blocked}>
            {t('settings.password.submit')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
