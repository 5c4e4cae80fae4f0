import { useState } from 'preact/hooks';
import { session } from '../api/api.js';
import { Link, navigate, query } from '../app/router.js';
import { Button, Field, Notice } from '../app/ui.js';
import { errorText } from '../i18n/error.text.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import { AuthCard } from './auth.layout.js';
import type { SignInNotice } from './auth.storage.js';
import { requestSession } from './sign-in.request.js';

const NOTICES: Record<SignInNotice, MessageKey> = {
  verified: 'auth.signIn.verified',
  'verified-retry': 'auth.signIn.verifiedRetry',
  trusted: 'auth.signIn.trusted',
  'password-reset': 'auth.signIn.passwordReset',
  denied: 'auth.signIn.denied',
};

/** `/sign-in`: tokens for a trusted device (201), or a mailed code first for a new one (202 → device challenge). */
export function SignInScreen() {
  const params = query.value;
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const notice = params.get('notice') ?? '';
  const noticeKey = Object.prototype.hasOwnProperty.call(NOTICES, notice) ? NOTICES[notice as SignInNotice] : undefined;
  const ended = session.endedReason.value;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await requestSession({ email: email.trim(), password });
      // Signed in: the app leaves for `/` by itself.
      if (result.kind === 'challenge') navigate(`/device-challenge?challenge=${encodeURIComponent(result.challengeId)}`);
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('auth.signIn.title')}>
      {ended && <Notice kind="warning">{t(ended)}</Notice>}
      {noticeKey && !ended && <Notice kind="success">{t(noticeKey)}</Notice>}
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {error && <Notice kind="error">{error}</Notice>}
        <Field label={t('auth.email')} type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field
          label={t('auth.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <Button type="submit" class="button button-primary button-block" busy={busy}>
          {t('auth.signIn.submit')}
        </Button>
      </form>
      <p class="card-links">
        <Link href="/password-reset">{t('auth.signIn.forgot')}</Link>
        <span>
          {t('auth.signIn.noAccount')} <Link href="/sign-up">{t('auth.signIn.createAccount')}</Link>
        </span>
      </p>
    </AuthCard>
  );
}
