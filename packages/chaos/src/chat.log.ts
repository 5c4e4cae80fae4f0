// What the simulated chat devices record (chat.client.ts) and the tally reads (chat.tally.ts).

/** One message a device sent: acked once `messageId` is set; retried with the same client id until then. */
export interface SentRecord {
  conversationId: string;
  clientMessageId: string;
  via: 'ws' | 'rest';
  /** Sends of this client id (1 = never retried); a retry is announced again by the server, by design. */
  attempts: number;
  messageId?: string;
  seq?: number;
  /** The device stopped retrying without an ack (e.g. the quiet period ended): neither acked nor lost. */
  gaveUp?: boolean;
}

/** One `message.new` a device received. */
export interface ReceivedRecord {
  conversationId: string;
  messageId: string;
  seq: number;
  /** The device's connection number (1, 2, …): a server promise ("none twice") holds per connection. */
  connection: number;
  /** Sent between the `resume` frame and its ack: part of the replay, not live. */
  replay: boolean;
}

export interface ResumeRecord {
  connection: number;
  backend: string;
  replayed: number;
  incomplete: string[];
  skipped: string[];
  /** The `lastSeq` sent per conversation. */
  cursors: Record<string, number>;
  /** Why there was no ack (timeout, closed), when there was none. */
  failed?: string;
}

export interface DeviceLog {
  /** `<user index>.<device index>`, stable for a seed. */
  device: string;
  userId: string;
  conversations: string[];
  sent: SentRecord[];
  received: ReceivedRecord[];
  /** Messages read over REST history because a resume listed their conversation as incomplete. */
  paged: Array<{ conversationId: string; messageId: string; seq: number }>;
  resumes: ResumeRecord[];
  connections: number;
  /** Connections that ended without the device asking (faults), and on purpose. */
  cutConnections: number;
  intentionalDisconnects: number;
  /** Connected and resumed when the quiet period ended: it "stayed or resumed". */
  synced: boolean;
  errors: string[];
}

export interface ChatLog {
  conversations: Array<{ id: string; type: 'direct' | 'group'; members: string[] }>;
  devices: DeviceLog[];
  /** Setup or load problems that are not about one device (registration failures, …). */
  errors: string[];
  startedAt: number;
  stoppedAt: number;
}

/**
 * The `lastSeq` of a resume cursor: the end of the unbroken run of positions the device holds,
 * from 1, where a position below the highest one a complete replay brought but never delivered is
 * a hole (a failed send: positions become visible in order, so it never fills later). Live events
 * from two instances can arrive out of position order, so "the highest seen" would skip one.
 */
export function resumeSeq(held: ReadonlySet<number>, holes: ReadonlySet<number>): number {
  let end = 0;
  while (held.has(end + 1) || holes.has(end + 1)) end++;
  return end;
}

/** After a complete replay up to `top`: positions at or below it the device still lacks are holes. */
export function holesBelow(held: ReadonlySet<number>, top: number, holes: Set<number>): void {
  for (let s = 1; s <= top; s++) if (!held.has(s)) holes.add(s);
}
