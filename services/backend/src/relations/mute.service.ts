import type { MuteList, MuteView } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { MuteDocument, MuteRepository } from './mute.repository.js';

/** What the missed-message digest (and anything else that must stay quiet) reads. */
export interface MuteReader {
  /** Ids of the conversations `userId` has muted and whose mute has not ended at `now`. */
  mutedConversationIds(userId: string, now: Date): Promise<Set<string>>;
}

export interface MuteService extends MuteReader {
  /** The mutes in force at `now`, by conversation id: the end (null: until unmuted). */
  activeMutes(userId: string, now: Date): Promise<Map<string, Date | null>>;
  mute(userId: string, conversationId: string, until: Date | null): Promise<MuteView>;
  unmute(userId: string, conversationId: string): Promise<void>;
  list(userId: string): Promise<MuteList>;
  /** Called (on this instance) after the user's mutes changed: drops caches that show them. */
  onChange(listener: (userId: string, conversationId: string) => void): () => void;
}

export interface MuteServiceDeps {
  repository: MuteRepository;
  /** Throws CONVERSATION_NOT_FOUND unless the user is a member (chat's access reader). */
  requireMember: (userId: string, conversationId: string) => Promise<unknown>;
  /** Tells the user's other instances (their caches) that a mute changed. Never throws. */
  announce: (userId: string, conversationId: string) => Promise<void>;
  clock?: () => Date;
}

/** In force at `now`: for good, or ending later. */
export const isActive = (mute: Pick<MuteDocument, 'until'>, now: Date): boolean => mute.until === null || mute.until.getTime() > now.getTime();

const toMuteView = (m: MuteDocument): MuteView => ({ conversationId: m.conversationId, until: m.until?.toISOString() ?? null, mutedAt: m.mutedAt.toISOString() });

export function createMuteService(deps: MuteServiceDeps): MuteService {
  const clock = deps.clock ?? (() => new Date());
  const listeners = new Set<(userId: string, conversationId: string) => void>();
  const changed = async (userId: string, conversationId: string): Promise<void> => {
    for (const listener of listeners) listener(userId, conversationId);
    await deps.announce(userId, conversationId);
  };
  const active = async (userId: string, now: Date): Promise<MuteDocument[]> => (await deps.repository.ofUser(userId)).filter((m) => isActive(m, now));

  return {
    async mutedConversationIds(userId, now) {
      return new Set((await active(userId, now)).map((m) => m.conversationId));
    },
    async activeMutes(userId, now) {
      return new Map((await active(userId, now)).map((m) => [m.conversationId, m.until]));
    },
    async mute(userId, conversationId, until) {
      const now = clock();
      if (until !== null && until.getTime() <= now.getTime()) throw new AppError('MUTE_IN_PAST');
      await deps.requireMember(userId, conversationId);
      const doc = await deps.repository.put({ userId, conversationId, until, mutedAt: now });
      await changed(userId, conversationId);
      return toMuteView(doc);
    },
    async unmute(userId, conversationId) {
      await deps.requireMember(userId, conversationId);
      await deps.repository.remove(userId, conversationId);
      await changed(userId, conversationId);
    },
    async list(userId) {
      return { items: (await active(userId, clock())).map(toMuteView) };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
