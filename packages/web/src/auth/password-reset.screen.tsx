import type { PasswordResetAccepted, PasswordResetView } from '@ashchat/contracts';
import { useEffect, useState } from 'preact/hooks';
import { http, isApiError } from '../api/api.js';
import { Link, navigate, query } from '../app/router.js';
import { Button, Field, Notice } from '../app/ui.js';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import { AuthCard } from './auth.layout.js';
import { signInHref } from './auth.storage.js';
import { usePollWhileMoving } from './code-flow.poll.js';
import { CodeFlow } from './code-flow.view.js';

/** `/password-reset`: ask for a code; `/password-reset?reset=<id>` (also the mail's link): code + new password. */
export function PasswordResetScreen() {
  const resetId = query.value.get('reset');
  return resetId ? <ResetCode resetId={resetId} /> : <ResetRequest />;
}

function ResetRequest() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const accepted = await http.request<PasswordResetAccepted>('POST', '/v1/password-resets', { email: email.trim() }, { auth: false });
      navigate(`/password-reset?reset=${encodeURIComponent(accepted.resetId)}`, { replace: true });
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };
  return (
    <AuthCard title={t('auth.reset.title')} intro={t('auth.reset.intro')}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {error && <Notice kind="error">{error}</Notice>}
        <Field label={t('auth.email')} type="email" name="email" autoComplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Button type="submit" class="button button-primary button-block" busy={busy}>
          {t('auth.reset.request')}
        </Button>
      </form>
      <p class="card-links">
        <Link href="/sign-in">{t('auth.reset.backToSignIn')}</Link>
      </p>
    </AuthCard>
  );
}

function ResetCode({ resetId }: { resetId: string }) {
  const [view, setView] = useState<PasswordResetView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const path = `/v1/password-resets/${encodeURIComponent(resetId)}`;

  const reload = async () => {
    try {
      setView(await http.request<PasswordResetView>('GET', path, undefined, { auth: false }));
    } catch (caught) {
      setLoadError(isApiError(caught, 'PASSWORD_RESET_NOT_FOUND') || isApiError(caught, 'VALIDATION_FAILED') ? t('auth.flow.notFound') : errorText(caught));
    }
  };
  useEffect(() => {
    void reload();
  }, [resetId]);
  usePollWhileMoving(view, reload);
  useEffect(() => {
    if (view?.status === 'completed') navigate(signInHref({ notice: 'password-reset' }));
  }, [view?.status]);

  const submit = async (code: string) => {
    try {
      const answer = await http.request<PasswordResetView>('POST', `${path}/verification`, { code, newPassword }, { auth: false });
      setView(answer);
    } catch (caught) {
      await reload();
      throw caught;
    }
  };
  const resend = async () => {
    try {
      setView(await http.request<PasswordResetView>('POST', `${path}/resend`, undefined, { auth: false }));
    } catch (caught) {
      await reload();
      throw caught;
    }
  };

  return (
    <AuthCard title={t('auth.reset.title')} intro={t('auth.reset.codeIntro')}>
      {loadError && !view ? (
        <>
          <Notice kind="error">{loadError}</Notice>
          <Link href="/password-reset">{t('auth.verify.startAgain')}</Link>
        </>
      ) : !view ? (
        <p class="loading">{t('app.loading')}</p>
      ) : (
        <CodeFlow view={view} submitLabel={t('auth.reset.submit')} onSubmit={submit} onResend={resend} restart={{ href: '/password-reset', label: t('auth.verify.startAgain') }}>
          <Field
            label={t('auth.newPassword')}
            hint={t('auth.passwordHint')}
            type="password"
            name="newPassword"
            autoComplete="new-password"
            minLength={10}
            maxLength={256}
            required
            value={newPassword}
            onInput={(e) => setNewPassword(e.currentTarget.value)}
          />
        </CodeFlow>
      )}
    </AuthCard>
  );
}
