import type { UserRepository } from './user.repository.js';

export type TranslationProfile = { preferredLanguage: string; autoTranslate: boolean };

export interface TranslationProfilesCache extends Pick<UserRepository, 'translationProfilesOf'> {
  /** This instance changed the user's profile: the next read goes to the database. */
  forget(userId: string): void;
  /** Called on forget(): what this instance keeps derived from the profile (e.g. translated previews) can go too. */
  onForget(listener: (userId: string) => void): () => void;
}

export interface TranslationProfilesCacheOptions {
  /** How long a read profile is used; 0 turns the cache off. Other instances see a change within this. */
  ttlMs: number;
  /** Bound on users kept; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Every send reads the sender's language and every translation request its readers' languages and
 * settings: without this, two user reads per message on the database (the busiest part of a send).
 * Profiles change rarely; a stale one only picks a translation language for a short while.
 */
export function createTranslationProfilesCache(
  users: Pick<UserRepository, 'translationProfilesOf'>,
  o: TranslationProfilesCacheOptions,
): TranslationProfilesCache {
  const maxEntries = o.maxEntries ?? 50_000;
  const now = o.now ?? Date.now;
  // Insertion order = age: a refreshed entry is deleted and set again. `null`: no such user (also cached).
  const entries = new Map<string, { profile: TranslationProfile | null; at: number }>();
  const listeners = new Set<(userId: string) => void>();

  function remember(id: string, profile: TranslationProfile | null, at: number): void {
    entries.delete(id);
    entries.set(id, { profile, at });
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  }

  return {
    async translationProfilesOf(ids) {
      if (o.ttlMs === 0) return users.translationProfilesOf(ids);
      const at = now();
      const found = new Map<string, TranslationProfile>();
      const missing: string[] = [];
      for (const id of new Set(ids)) {
        const entry = entries.get(id);
        if (entry && at - entry.at < o.ttlMs) {
          if (entry.profile) found.set(id, entry.profile);
        } else missing.push(id);
      }
      if (missing.length === 0) return found;
      const read = await users.translationProfilesOf(missing);
      for (const id of missing) {
        const profile = read.get(id) ?? null;
        remember(id, profile, at);
        if (profile) found.set(id, profile);
      }
      return found;
    },
    forget(userId) {
      entries.delete(userId);
      for (const listener of listeners) listener(userId);
    },
    onForget(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
