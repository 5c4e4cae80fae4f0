import { useState } from 'preact/hooks';
import { ApiError, http } from '../api/api.js';
import { Field, Notice } from '../app/ui.js';
import { t } from '../i18n/i18n.js';
import { settingsErrorText } from './settings.errors.js';
import { useGuardedSubmit } from './settings.form.js';
import { Form, Section } from './settings.ui.js';

const MIN_LENGTH = 10;

/** PUT /v1/me/password: 204 ends every other session (this one stays); refusals are shown by field. */
export function PasswordView({ onChanged }: { onChanged: () => void }) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, setError, blocked, run, formError } = useGuardedSubmit();

  const submit = async () => {
    setDone(false);
    if (newPassword.length < MIN_LENGTH) {
      setError('too-short');
      return;
    }
    await run(async () => {
      await http.request('PUT', '/v1/me/password', { currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      setDone(true);
      onChanged();
    });
  };

  const code = error instanceof ApiError ? error.code : null;
  const currentError = code === 'WRONG_PASSWORD' ? settingsErrorText(error) : null;
  const newError = error === 'too-short' ? t('settings.password.tooShort') : code === 'WEAK_PASSWORD' ? settingsErrorText(error) : null;
  const formText = formError(Boolean(currentError || newError));

  return (
    <Section id="password" title={t('settings.password.title')} intro={t('settings.password.intro')}>
      <Form onSubmit={submit} submit={{ label: t('settings.password.submit'), busy, disabled: blocked }}>
        {done && <Notice kind="success">{t('settings.password.changed')}</Notice>}
        {formText && <Notice kind="error">{formText}</Notice>}
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
      </Form>
    </Section>
  );
}
