import type { RegistrationAccepted } from '@ashchat/contracts';
import { useId, useState } from 'preact/hooks';
import { ApiError, http } from '../api/api.js';
import { Link, navigate } from '../app/router.js';
import { Button, Field, Notice } from '../app/ui.js';
import { errorText } from '../i18n/error.text.js';
import { LANGUAGES, language, t, userLanguage } from '../i18n/i18n.js';
import { AuthCard, fieldErrors } from './auth.layout.js';
import { rememberRegistrationEmail } from './auth.storage.js';
import { passwordMemory } from './password.memory.js';

/** `/sign-up`: a registration; the mailed code is confirmed on the verify page. */
export function SignUpScreen() {
  const languageId = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [nickname, setNickname] = useState('');
  const [preferredLanguage, setPreferredLanguage] = useState<string>(language.value);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const perField = error?.code === 'VALIDATION_FAILED' ? fieldErrors(error.details) : {};
  const weak = error?.code === 'WEAK_PASSWORD' ? t('error.WEAK_PASSWORD') : undefined;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = { email: email.trim(), password, nickname: nickname.trim(), preferredLanguage };
      const accepted = await http.request<RegistrationAccepted>('POST', '/v1/registrations', body, { auth: false });
      rememberRegistrationEmail(accepted.registrationId, body.email);
      // In memory only: the verification in this tab then signs in without asking for it again.
      passwordMemory.remember(accepted.registrationId, { email: body.email, password });
      navigate(`/verify?registration=${encodeURIComponent(accepted.registrationId)}`);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'INTERNAL_ERROR', String(caught)));
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('auth.signUp.title')}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {error && !weak && Object.keys(perField).length === 0 && <Notice kind="error">{errorText(error)}</Notice>}
        <Field label={t('auth.email')} type="email" name="email" autoComplete="email" required value={email} error={perField.email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field
          label={t('auth.password')}
          hint={t('auth.passwordHint')}
          type="password"
          name="password"
          autoComplete="new-password"
          minLength={10}
          maxLength={256}
          required
          value={password}
          error={perField.password ?? weak}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <Field
          label={t('auth.nickname')}
          hint={t('auth.nicknameHint')}
          name="nickname"
          autoComplete="nickname"
          minLength={2}
          maxLength={32}
          required
          value={nickname}
          error={perField.nickname}
          onInput={(e) => setNickname(e.currentTarget.value)}
        />
        <div class="field">
          <label for={languageId}>{t('auth.language')}</label>
          <select
            id={languageId}
            name="preferredLanguage"
            value={preferredLanguage}
            onChange={(e) => {
              setPreferredLanguage(e.currentTarget.value);
              // The form itself switches too, so the choice is visible at once.
              userLanguage.value = e.currentTarget.value;
            }}
          >
            {LANGUAGES.map((code) => (
              <option key={code} value={code}>
                {t(`auth.language.${code}`)}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" class="button button-primary button-block" busy={busy}>
          {t('auth.signUp.submit')}
        </Button>
      </form>
      <p class="card-links">
        <span>
          {t('auth.signUp.haveAccount')} <Link href="/sign-in">{t('auth.signIn.submit')}</Link>
        </span>
      </p>
    </AuthCard>
  );
}
