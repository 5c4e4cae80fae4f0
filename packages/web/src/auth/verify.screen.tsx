import type { RegistrationView } from '@ashchat/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { deviceId, deviceName, http, isApiError } from '../api/api.js';
import { Link, navigate, query } from '../app/router.js';
import { Notice } from '../app/ui.js';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import { AuthCard } from './auth.layout.js';
import { registrationEmail, signInHref } from './auth.storage.js';
import { CodeFlow } from './code-flow.view.js';
import { watchRegistration } from './registration.watch.js';
import { signInAfterFlow } from './sign-in.request.js';

/** `/verify?registration=<id>` (the mail's link lands here): the code, live status, resend. */
export function VerifyScreen() {
  const registrationId = query.value.get('registration') ?? '';
  const [view, setView] = useState<RegistrationView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const path = `/v1/registrations/${encodeURIComponent(registrationId)}`;
  // A code submitted here that was still being checked (202) completes over the watch: then sign in too.
  const submitted = useRef(false);
  const [signingIn, setSigningIn] = useState(false);

  const reload = async () => {
    try {
      setView(await http.request<RegistrationView>('GET', path, undefined, { auth: false }));
    } catch (caught) {
      setLoadError(isApiError(caught, 'REGISTRATION_NOT_FOUND') || isApiError(caught, 'VALIDATION_FAILED') ? t('auth.flow.notFound') : errorText(caught));
    }
  };

  useEffect(() => {
    if (!registrationId) return;
    void reload();
    return watchRegistration(registrationId, setView);
  }, [registrationId]);

  useEffect(() => {
    if (view?.status !== 'completed' || !submitted.current) return;
    submitted.current = false;
    // The verification trusted this device, so the password typed at sign-up here (still in memory
    // if this tab made the registration) signs in at once; otherwise the sign-in page asks for it.
    setSigningIn(true);
    void signInAfterFlow(registrationId).then((result) => {
      const email = registrationEmail(registrationId);
      if (result.kind === 'signed-in') navigate('/', { replace: true });
      else navigate(signInHref({ email: result.kind === 'failed' ? result.email : email, notice: result.kind === 'failed' ? 'verified-retry' : 'verified' }));
    });
  }, [view?.status]);

  const submit = async (code: string) => {
    submitted.current = true;
    try {
      const answer = await http.exchange<RegistrationView>('POST', `${path}/verification`, { code, deviceId: deviceId(), deviceName: deviceName() }, { auth: false });
      setView(answer.data);
    } catch (caught) {
      // The view tells attempts left, lockout and expiry; the form shows the rest of the error.
      await reload();
      throw caught;
    }
  };

  const resend = async () => {
    try {
      setView(await http.request<RegistrationView>('POST', `${path}/resend`, undefined, { auth: false }));
    } catch (caught) {
      await reload();
      throw caught;
    }
  };

  return (
    <AuthCard title={t('auth.verify.title')} intro={view?.status === 'completed' ? undefined : t('auth.verify.intro')}>
      {!registrationId || (loadError && !view) ? (
        <>
          <Notice kind="error">{loadError ?? t('auth.flow.notFound')}</Notice>
          <Link href="/sign-up">{t('auth.verify.startAgain')}</Link>
        </>
      ) : !view ? (
        <p class="loading">{t('app.loading')}</p>
      ) : signingIn ? (
        <p class="loading" role="status">{t('auth.flow.signingIn')}</p>
      ) : view.status === 'completed' ? (
        <>
          <Notice kind="success">{t('auth.verify.completed')}</Notice>
          <Link href={signInHref({ email: registrationEmail(registrationId), notice: 'verified' })} class="button button-primary">
            {t('auth.verify.toSignIn')}
          </Link>
        </>
      ) : (
        <CodeFlow view={view} submitLabel={t('auth.verify.submit')} onSubmit={submit} onResend={resend} restart={{ href: '/sign-up', label: t('auth.verify.startAgain') }} />
      )}
    </AuthCard>
  );
}
