import type { DeviceChallengeView, SessionTokens } from '@ashchat/contracts';
import { useEffect, useState } from 'preact/hooks';
import { http, isApiError, session } from '../api/api.js';
import { Link, navigate, query } from '../app/router.js';
import { Button, Notice } from '../app/ui.js';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import { AuthCard } from './auth.layout.js';
import { signInHref } from './auth.storage.js';
import { usePollWhileMoving } from './code-flow.poll.js';
import { CodeFlow } from './code-flow.view.js';
import { passwordMemory } from './password.memory.js';
import { signInAfterFlow } from './sign-in.request.js';

/**
 * `/device-challenge?challenge=<id>`: the code mailed for a sign-in from a new device (→ signed in).
 * With `&deny=<token>` (the mail's "this was not me" link): refuse that sign-in instead.
 */
export function DeviceChallengeScreen() {
  const challengeId = query.value.get('challenge') ?? '';
  const denyToken = query.value.get('deny');
  const [view, setView] = useState<DeviceChallengeView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const path = `/v1/sessions/challenges/${encodeURIComponent(challengeId)}`;

  const reload = async () => {
    try {
      setView(await http.request<DeviceChallengeView>('GET', path, undefined, { auth: false }));
    } catch (caught) {
      setLoadError(isApiError(caught, 'DEVICE_CHALLENGE_NOT_FOUND') || isApiError(caught, 'VALIDATION_FAILED') ? t('auth.flow.notFound') : errorText(caught));
    }
  };
  useEffect(() => {
    if (challengeId) void reload();
  }, [challengeId]);
  usePollWhileMoving(denyToken ? null : view, reload);

  // A verdict slower than the submit's bounded wait arrives by polling, without tokens: the device is
  // trusted now, so the password of the sign-in attempt (in memory if this tab made it) signs in.
  const [signingIn, setSigningIn] = useState(false);
  const completed = !denyToken && view?.status === 'completed';
  useEffect(() => {
    if (!completed || !passwordMemory.has(challengeId)) return;
    setSigningIn(true);
    void signInAfterFlow(challengeId).then((result) => {
      if (result.kind === 'signed-in') navigate('/', { replace: true });
      else navigate(signInHref({ email: result.kind === 'failed' ? result.email : null, notice: 'trusted' }));
    });
  }, [completed]);

  const submit = async (code: string) => {
    try {
      const answer = await http.exchange<SessionTokens | DeviceChallengeView>('POST', path, { code }, { auth: false });
      // 201: the device is trusted and signed in.
      if (answer.status === 201 && 'accessToken' in answer.data) {
        passwordMemory.forget();
        await session.signIn(answer.data);
        navigate('/', { replace: true });
      } else setView(answer.data as DeviceChallengeView);
    } catch (caught) {
      await reload();
      throw caught;
    }
  };
  const resend = async () => {
    try {
      setView(await http.request<DeviceChallengeView>('POST', `${path}/resend`, undefined, { auth: false }));
    } catch (caught) {
      await reload();
      throw caught;
    }
  };

  const missing = !challengeId || (loadError && !view);
  return (
    <AuthCard title={t(denyToken ? 'auth.deny.title' : 'auth.challenge.title')} intro={denyToken || missing ? undefined : t('auth.challenge.intro')}>
      {missing ? (
        <>
          <Notice kind="error">{loadError ?? t('auth.flow.notFound')}</Notice>
          <Link href="/sign-in">{t('auth.reset.backToSignIn')}</Link>
        </>
      ) : !view ? (
        <p class="loading">{t('app.loading')}</p>
      ) : signingIn ? (
        <p class="loading" role="status">{t('auth.flow.signingIn')}</p>
      ) : denyToken ? (
        <DenyPanel view={view} path={path} token={denyToken} onView={setView} />
      ) : view.status === 'completed' ? (
        <>
          <Notice kind="success">{t('auth.challenge.trusted')}</Notice>
          <Link href={signInHref({ notice: 'trusted' })} class="button button-primary">
            {t('auth.signIn.submit')}
          </Link>
        </>
      ) : (
        <CodeFlow view={view} submitLabel={t('auth.challenge.submit')} onSubmit={submit} onResend={resend} restart={{ href: '/sign-in', label: t('auth.reset.backToSignIn') }} />
      )}
    </AuthCard>
  );
}

/** "This was not me": one clear button that refuses the sign-in (POST …/denial with the mail's token). */
function DenyPanel({ view, path, token, onView }: { view: DeviceChallengeView; path: string; token: string; onView: (view: DeviceChallengeView) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tooLate, setTooLate] = useState(view.status === 'completed');

  const deny = async () => {
    setBusy(true);
    setError(null);
    try {
      onView(await http.request<DeviceChallengeView>('POST', `${path}/denial`, { token }, { auth: false }));
    } catch (caught) {
      if (isApiError(caught, 'CODE_FLOW_COMPLETED')) setTooLate(true);
      else setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  if (tooLate) return <Notice kind="warning">{t('auth.deny.tooLate')}</Notice>;
  if (view.status === 'denied') return <Notice kind="success">{t('auth.deny.done')}</Notice>;
  const device = view.deviceName ? ` (${view.deviceName})` : '';
  return (
    <div class="form">
      <p>{t('auth.deny.intro', { device })}</p>
      {error && <Notice kind="error">{error}</Notice>}
      <Button type="button" kind="danger" class="button button-danger button-block" busy={busy} onClick={() => void deny()}>
        {t('auth.deny.submit')}
      </Button>
    </div>
  );
}
