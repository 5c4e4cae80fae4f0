import { useCallback, useEffect, useState } from 'preact/hooks';
import { http } from '../api/api.js';
import { settingsErrorText } from './settings.errors.js';

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

export interface Outcome {
  kind: 'success' | 'error';
  text: string;
}

/**
 * One action at a time on a list's rows: `busy` names the row it runs for, `outcome` says how the last one went.
 * `act` resolves to the text for success (then the other sections reload), or null when it ended the session;
 * a refusal reloads the list, as it may be out of date.
 */
export function useRowAction(reload: () => void, onChanged: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const run = async (id: string, act: () => Promise<string | null>) => {
    setBusy(id);
    setOutcome(null);
    try {
      const done = await act();
      if (done === null) return;
      setOutcome({ kind: 'success', text: done });
      onChanged();
    } catch (caught) {
      setOutcome({ kind: 'error', text: settingsErrorText(caught) });
      reload();
    } finally {
      setBusy(null);
    }
  };
  return { busy, outcome, run };
}
