import type { ServerFrame, ServerFrameOf, ServerFrameType } from './realtime.protocol.js';

/** Subscribers per server frame type; one failing listener does not keep the frame from the others. */
export function createListeners() {
  const byType = new Map<string, Set<(frame: ServerFrame) => void>>();
  return {
    on<T extends ServerFrameType>(type: T, listener: (frame: ServerFrameOf<T>) => void): () => void {
      let set = byType.get(type);
      if (!set) byType.set(type, (set = new Set()));
      const entry = listener as (frame: ServerFrame) => void;
      set.add(entry);
      return () => void set.delete(entry);
    },
    dispatch(frame: ServerFrame): void {
      for (const listener of [...(byType.get(frame.type) ?? [])]) {
        try {
          listener(frame);
        } catch (error) {
          console.error('realtime listener failed', error);
        }
      }
    },
  };
}
