import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../i18n/error.text.js';

/**
 * A chat header control that opens a small menu (mute's durations, block's confirm): the menu's
 * first button (`first`) takes the focus when it opens; `run` does one action and then closes the
 * menu and returns to `trigger`, or keeps it open and shows what went wrong.
 */
export function useRelationsMenu() {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    trigger.current?.focus();
  };
  const run = async (act: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await act();
      close();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };
  return { open, setOpen, busy, error, first, trigger, close, run };
}

/** The failure of a header control's last action, announced at once. */
export function RelationsError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <span class="relations-error" role="alert">
      {error}
    </span>
  );
}
