import { useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { Field, Notice } from '../app/ui.js';
import { t } from '../i18n/i18n.js';
import { deleteAccount, deletion } from './account-deletion.store.js';
import { settingsErrorText } from './settings.errors.js';
import { useGuardedSubmit } from './settings.form.js';
import { Form, Section } from './settings.ui.js';

const SLOW_MS = 15_000;

/** DELETE /v1/me: the password and an explicit tick; then the deletion's progress until it signs out. */
export function DeleteAccountView() {
  const [password, setPassword] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const running = deletion.value;
  const { busy, error, setError, now, blocked, run, formError } = useGuardedSubmit(running !== null);

  const submit = async () => {
    if (!confirmed) {
      setError('unconfirmed');
      return;
    }
    await run(async () => {
      await deleteAccount(password);
      setPassword('');
    });
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
  const formText = formError(Boolean(passwordError || confirmError));

  return (
    <Section id="delete" title={t('settings.delete.title')} intro={t('settings.delete.intro')}>
      <Form onSubmit={submit} submit={{ label: t('settings.delete.submit'), kind: 'danger', busy, disabled: blocked }}>
        {formText && <Notice kind="error">{formText}</Notice>}
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
      </Form>
    </Section>
  );
}
