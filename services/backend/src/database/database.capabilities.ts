/**
 * What the MongoDB-protocol server underneath guarantees, and therefore which guard each write
 * uses. Decided once, at start-up (`mongo.plugin.ts` decorates it as `app.mongo.capabilities`);
 * nothing else in the backend asks which server it is.
 *
 * Why there are two answers. Production runs MongoDB, where a single-document update is atomic:
 * a conditional update (`{ _id, status: 'active' }`, `{ _id, version }`) lets exactly one of
 * several concurrent writers through, and its matched/modified count tells the others they lost.
 * FerretDB 1.x (the only server this machine kind runs) applies an update as an unisolated
 * read-modify-write of the whole document, on PostgreSQL and SQLite alike: concurrent `$inc`s are
 * lost, several writers pass the same `{ _id, version }` filter, and a late write can restore an old
 * version. It also has no TTL indexes (`expireAfterSeconds` is "not implemented") and no `$text`.
 * So on FerretDB, and on any server we cannot identify:
 *  - every guarded write (saga documents, refresh-token rotation, profile changes) also holds a
 *    short per-document Redis lock (`writeLock: 'redis'`; see write.lock.ts and @ashchat/saga);
 *    the conditional update and its count check stay as the second line of defence;
 *  - expired sessions are deleted by a periodic purge (SESSION_PURGE_INTERVAL_MS) instead of a
 *    TTL index.
 *  - message search scans at most SEARCH_SCAN_LIMIT of the newest messages per request with one
 *    regex per word, and says when it stopped there, instead of a `$text` query on a text index
 *    (`textSearch`; search/message.search.ts).
 * On MongoDB neither workaround runs: the conditional update is the guard, a TTL index expires
 * sessions. MONGODB_FLAVOR overrides the detection (tests force `mongodb` on FerretDB with a single
 * writer, so that path runs here too).
 */

export const MONGODB_FLAVORS = ['auto', 'mongodb', 'ferretdb'] as const;
export type MongoFlavorSetting = (typeof MONGODB_FLAVORS)[number];
export type MongoFlavor = Exclude<MongoFlavorSetting, 'auto'>;

/** The fields of a `buildInfo` answer that tell the servers apart (FerretDB adds its own). */
export interface BuildInfo {
  version?: unknown;
  ferretdbVersion?: unknown;
  ferretdbFeatures?: unknown;
}

export interface DatabaseCapabilities {
  /** `unknown`: the server answered, but not like either; it gets the conservative plan. */
  flavor: MongoFlavor | 'unknown';
  /** How the flavour was decided: MONGODB_FLAVOR, or the server's `buildInfo`. */
  decidedBy: 'setting' | 'buildInfo';
  /** The server's own version string, when it was asked. */
  serverVersion?: string;
  /** A single-document conditional update lets exactly one concurrent writer through. */
  atomicConditionalUpdates: boolean;
  ttlIndexes: boolean;
  textSearch: boolean;
  /** 'redis': guarded writes also hold a per-document Redis lock; 'none': the conditional update alone. */
  writeLock: 'redis' | 'none';
  /** How expired sessions go: a TTL index, or this instance's purge timer. */
  sessionExpiry: 'ttl-index' | 'purge-timer';
}

function planFor(flavor: DatabaseCapabilities['flavor']): Pick<DatabaseCapabilities, 'atomicConditionalUpdates' | 'ttlIndexes' | 'textSearch' | 'writeLock' | 'sessionExpiry'> {
  const mongodb = flavor === 'mongodb';
  return {
    atomicConditionalUpdates: mongodb,
    ttlIndexes: mongodb,
    textSearch: mongodb,
    writeLock: mongodb ? 'none' : 'redis',
    sessionExpiry: mongodb ? 'ttl-index' : 'purge-timer',
  };
}

/**
 * The decision, pure: `setting` wins unless it is `auto`; then FerretDB is recognised by the
 * `ferretdbVersion`/`ferretdbFeatures` fields MongoDB never sends (both answer `version: 7.0.x`),
 * MongoDB by a version string without them, and anything else is `unknown`.
 */
export function databaseCapabilities(buildInfo: BuildInfo | undefined, setting: MongoFlavorSetting): DatabaseCapabilities {
  const serverVersion = typeof buildInfo?.version === 'string' ? buildInfo.version : undefined;
  const asked = serverVersion === undefined ? {} : { serverVersion };
  if (setting !== 'auto') return { flavor: setting, decidedBy: 'setting', ...asked, ...planFor(setting) };
  const ferret = buildInfo !== undefined && (buildInfo.ferretdbVersion !== undefined || buildInfo.ferretdbFeatures !== undefined);
  const flavor = ferret ? 'ferretdb' : serverVersion !== undefined ? 'mongodb' : 'unknown';
  return { flavor, decidedBy: 'buildInfo', ...asked, ...planFor(flavor) };
}
