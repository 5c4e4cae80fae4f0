import type { MongoClient } from 'mongodb';

export interface CommandTally {
  count: number;
  /** Summed round-trip time as the driver saw it (server time + queueing + network). */
  ms: number;
}

export interface MongoProfile {
  /** Tally by command name since the last take(), then starts over. */
  take(): Record<string, CommandTally>;
}

/** Appends `monitorCommands=true`: the driver only emits command events when asked at connect time. */
export function withCommandMonitoring(uri: string): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;
}

/** Counts every command the client completes, by name (insert, update, find, …). */
export function profileMongo(client: MongoClient): MongoProfile {
  let tally: Record<string, CommandTally> = {};
  const add = (e: { commandName: string; duration: number }): void => {
    const entry = (tally[e.commandName] ??= { count: 0, ms: 0 });
    entry.count += 1;
    entry.ms += e.duration;
  };
  client.on('commandSucceeded', add);
  client.on('commandFailed', add);
  return {
    take() {
      const out = tally;
      tally = {};
      return out;
    },
  };
}
