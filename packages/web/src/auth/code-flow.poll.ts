import { useEffect } from 'preact/hooks';
import { describeFlow, type CodeFlowViewLike } from './code-flow.model.js';

/** Re-reads a flow's view every `intervalMs` while it can change by itself (a code being mailed or checked). */
export function usePollWhileMoving(view: CodeFlowViewLike | null, reload: () => Promise<void>, intervalMs = 1_500): void {
  const moving = view !== null && describeFlow(view, Date.now()).moving;
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => void reload(), intervalMs);
    return () => clearInterval(timer);
  }, [moving]);
}
