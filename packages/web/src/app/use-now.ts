import { useEffect, useState } from 'preact/hooks';

/** The current time, re-rendering every `intervalMs` while `active` (countdowns, "2 min ago"). */
export function useNow(active = true, intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
