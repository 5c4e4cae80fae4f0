import { useEffect } from 'preact/hooks';
import { session } from '../api/api.js';
import { t } from '../i18n/i18n.js';
import { routes } from './app.routes.js';
import { Link, location, navigate, resolveRoute } from './router.js';
import { Shell } from './shell.js';

// A page asked for while signed out (a deep link, or a session that ended by itself): shown after sign-in.
let returnTo: string | null = null;
let everSignedIn = false;

/** Picks the screen for the location, and sends people to sign-in (or away from it) by session state. */
export function App() {
  const status = session.status.value;
  const { path, search } = location.value;
  const match = resolveRoute(routes, path);
  const access = match?.value.access;
  const redirect = status === 'starting' ? null : status === 'signed-out' && access === 'signed-in' ? '/sign-in' : status === 'signed-in' && access === 'signed-out' ? '/' : null;

  useEffect(() => {
    if (status === 'signed-in') everSignedIn = true;
    if (!redirect) return;
    // Not after "Sign out" in this page: whoever signs in next starts at the beginning.
    if (redirect === '/sign-in' && (!everSignedIn || session.endedReason.value)) returnTo = path + search;
    const target = redirect === '/' && returnTo ? returnTo : redirect;
    if (redirect === '/') returnTo = null;
    navigate(target, { replace: true });
  }, [redirect, status]);

  if (status === 'starting' || redirect) {
    return (
      <main class="card-page" aria-busy="true">
        <p class="loading">{t('app.loading')}</p>
      </main>
    );
  }
  if (!match) {
    return (
      <main class="card-page">
        <section class="card">
          <h1>{t('app.notFound.title')}</h1>
          <Link href="/">{t('app.notFound.back')}</Link>
        </section>
      </main>
    );
  }
  const screen = match.value.render(match.params);
  return status === 'signed-in' && access !== 'signed-out' ? <Shell>{screen}</Shell> : screen;
}
