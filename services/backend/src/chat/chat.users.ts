import type { Db } from 'mongodb';

/** What the chat needs of the `users` collection (users/user.repository.ts owns it): which ids exist. */
export interface ChatUsers {
  /** The ids among `ids` that are not users. */
  missing(ids: readonly string[]): Promise<string[]>;
}

export function createChatUsers(db: Db, collectionName = 'users'): ChatUsers {
  const users = db.collection<{ _id: string }>(collectionName);
  return {
    async missing(ids) {
      if (ids.length === 0) return [];
      const found = new Set((await users.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray()).map((u) => u._id));
      return ids.filter((id) => !found.has(id));
    },
  };
}
