// The address typed at sign-up, per registration, for this tab only: the verify page prefills sign-in
// with it (the registration id alone does not tell the address, by design).
const key = (registrationId: string) => `ashchat.registration.${registrationId}`;

export function rememberRegistrationEmail(registrationId: string, email: string): void {
  try {
    sessionStorage.setItem(key(registrationId), email);
  } catch {
    // Storage refused (private mode quotas): the user types the address again.
  }
}

export function registrationEmail(registrationId: string): string | null {
  try {
    return sessionStorage.getItem(key(registrationId));
  } catch {
    return null;
  }
}

/** The notices of the sign-in page (`?notice=`). */
export type SignInNotice = 'verified' | 'verified-retry' | 'trusted' | 'password-reset' | 'denied';

/** `/sign-in` with the address prefilled and a notice (a catalogue key) shown above the form. */
export function signInHref(options: { email?: string | null; notice?: SignInNotice }): string {
  const params = new URLSearchParams();
  if (options.email) params.set('email', options.email);
  if (options.notice) params.set('notice', options.notice);
  const search = params.toString();
  return search ? `/sign-in?${search}` : '/sign-in';
}
