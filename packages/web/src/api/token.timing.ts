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

/** How much life an access token kept from before a reload must have left to be used instead of refreshing at once. */
export const MIN_LEFT_ON_LOAD_MS = 60_000;

/**
 * On page load, whether the tab's access token (expiring at `expiresAt`) is used as it is: with more
 * than a minute left. A refresh on every load rotates the refresh token, and a page reloaded again
 * before storing the answer presents the rotated one (the backend's reuse grace covers that; not
 * refreshing at all is better).
 */
export function usableOnLoad(expiresAt: number, now: number): boolean {
  return expiresAt - now > MIN_LEFT_ON_LOAD_MS;
}
