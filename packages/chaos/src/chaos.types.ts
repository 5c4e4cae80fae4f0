// The contract between the chaos orchestrator (chaos.run.ts) and the loads/tallies that other files
// provide. Keep it backward-compatible: chat.load.ts, registration.load.ts and poison.ts build on it.

export interface ChaosTarget {
  /** Backend base URLs, e.g. http://127.0.0.1:41234 (WebSocket at ws://…/v1/ws). */
  backends: readonly string[];
  /** Mailpit-compatible API of the SMTP sink: registration codes are read from mails. */
  mailApiUrl: string;
  /** For poison injection. */
  amqpUri: string;
  queueNamespace: string;
  /** For tallies: read the DB after the quiet period. */
  mongodbUri: string;
  mongodbDb: string;
  redisUri: string;
  /** Seeded, per load: derive with createRng(seed ^ constant) from chaos.random.ts. */
  rng: () => number;
  /** Progress line to stderr. */
  log: (line: string) => void;
  /** Date.now() at which load generation must stop. */
  deadline: number;
}

export interface LoadHandle<T> {
  /** Stops generating; resolves when in-flight operations ended or gave up. */
  stop(): Promise<void>;
  result(): Promise<T>;
}

export interface TallyRow {
  label: string;
  value: number | string;
  /** True when this row counts lost/duplicated/out-of-order items above 0. */
  bad?: boolean;
}

export interface Tally {
  section: string;
  rows: TallyRow[];
  /** Empty = pass. */
  failures: string[];
}

// Provided elsewhere in this package (signatures the orchestrator calls):
// chat.load.ts:          startChatLoad(target: ChaosTarget, o: { users: number; quick: boolean }): Promise<LoadHandle<ChatLog>>
// chat.tally.ts:         tallyChat(target: ChaosTarget, log: ChatLog): Promise<Tally>
// registration.load.ts:  startRegistrationLoad(target: ChaosTarget, o: { quick: boolean }): Promise<LoadHandle<RegistrationLog>>
// registration.tally.ts: tallyRegistrations(target: ChaosTarget, log: RegistrationLog): Promise<Tally>
// poison.ts:             injectPoison(target: ChaosTarget, count: number): Promise<PoisonLog>
//                        tallyPoison(target: ChaosTarget, log: PoisonLog): Promise<Tally>
