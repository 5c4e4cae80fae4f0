import { computed, signal } from '@preact/signals';
import type { ComponentChildren, HTMLAttributes } from 'preact';
import { isPlainClick } from './router.match.js';

export { matchPath, resolveRoute } from './router.match.js';

const current = () => ({ path: window.location.pathname, search: window.location.search });

/** Where the page is: the path and the query string (e.g. `?registration=…`). */
export const location = signal(current());
/** The query string's parameters. */
export const query = computed(() => new URLSearchParams(location.value.search));

window.addEventListener('popstate', () => {
  location.value = current();
});

/** Goes to `to` (path + optional query) without reloading; `replace` for redirects (no history entry). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  location.value = current();
  window.scrollTo(0, 0);
}

type LinkProps = Omit<HTMLAttributes<HTMLAnchorElement>, 'href' | 'role'> & { href: string; children?: ComponentChildren };

/** An <a> that navigates inside the app (modified clicks still open a new tab). */
export function Link({ href, onClick, children, ...rest }: LinkProps) {
  const active = location.value.path === href;
  return (
    <a
      {...rest}
      href={href}
      aria-current={active ? 'page' : undefined}
      onClick={(event) => {
        if (typeof onClick === 'function') onClick(event);
        if (!isPlainClick(event)) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
