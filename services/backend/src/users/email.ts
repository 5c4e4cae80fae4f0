/**
 * The form in which e-mail addresses are compared and indexed. Only case and surrounding space are
 * folded: provider-specific rules (dots, plus-tags) would merge addresses that are really distinct.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
