/**
 * When to refresh an access token that lives `expiresInSeconds`: a fifth of its life early, but at
 * least 5 s and at most 60 s before it expires (a 15-minute token is refreshed after 14 minutes),
 * so a slow refresh still finishes in time and a short-lived token is not refreshed in a loop.
 */
export function refreshDelayMs(expiresInSeconds: number): number {
  const lifetime = Math.max(0, expiresInSeconds * 1000);
  const lead = Math.min(60_000, Math.max(5_000, lifetime / 5));
  return Math.max(1_000, lifetime - lead);
}

/** Whether a token expiring at `expiresAt` (epoch ms) is still good to send at `now`: not within 5 s of its end. */
export function isFresh(expiresAt: number, now: number): boolean {
  return now < expiresAt - 5_000;
}
