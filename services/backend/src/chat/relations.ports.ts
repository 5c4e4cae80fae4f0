/**
 * What chat asks of mutes and blocks. `relations/` implements these (and depends on chat for
 * membership), so chat names the shapes here instead of importing them from there.
 */
export interface ChatBlockReader {
  /** true if either user blocked the other. */
  blockedBetween(a: string, b: string): Promise<boolean>;
  /** Ids of users who blocked `userId` or whom `userId` blocked. */
  blockedWith(userId: string): Promise<Set<string>>;
}

export interface ChatMuteReader {
  /** The mutes in force at `now`, by conversation id: the end (null: until unmuted). */
  activeMutes(userId: string, now: Date): Promise<Map<string, Date | null>>;
}
