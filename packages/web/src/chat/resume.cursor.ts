/**
 * The position (`seq`) a resume cursor carries for a conversation whose history we hold: the end of
 * the first unbroken run of positions from the oldest one held. Positions follow the order messages
 * were stored, but their live events can arrive in another order (two instances): a client that got
 * 42 and not yet 41 resumes after 40, and the replay brings 41 (42 again is dropped by id). A
 * position left free by a failed send makes the replay start there each time, which is harmless.
 * Undefined when no held message has a position (all stored before positions existed): resume by id.
 */
export function resumeSeq(messages: readonly { seq: number; state: string }[]): number | undefined {
  const held = new Set<number>();
  let lowest = Number.POSITIVE_INFINITY;
  for (const m of messages) {
    if (m.state !== 'sent' || m.seq <= 0) continue;
    held.add(m.seq);
    lowest = Math.min(lowest, m.seq);
  }
  if (held.size === 0) return undefined;
  let end = lowest;
  while (held.has(end + 1)) end++;
  return end;
}
