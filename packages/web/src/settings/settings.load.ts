import { useCallback, useEffect, useState } from 'preact/hooks';
import { http } from '../api/api.js';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload: () => void;
}

/** GETs `path` on mount, whenever `version` changes (another section changed what it shows), and on reload(). */
export function useLoad<T>(path: string, version: number): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    http.request<T>('GET', path, undefined, { signal: abort.signal }).then(setData, (caught: unknown) => {
      if (!abort.signal.aborted) setError(caught);
    });
    return () => abort.abort();
  }, [path, version, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, reload };
}
