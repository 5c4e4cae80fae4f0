/**
 * The password just typed in this tab (at sign-up, or at a sign-in that needs a device code), kept in
 * memory only — never in storage — so the flow's end can sign in without asking for it again.
 * Bound to the flow it was typed for (a registration or challenge id), handed out once, gone after
 * `ttlMs` and with the page (a reload, another tab or the mail's link in another browser never has it).
 */
export interface Credentials {
  email: string;
  password: string;
}

export interface PasswordMemory {
  /** Keeps `credentials` for the flow `flowId`, replacing whatever was kept before. */
  remember(flowId: string, credentials: Credentials): void;
  /** The credentials kept for `flowId` (then forgotten), or null: another flow's, expired, or none. */
  take(flowId: string): Credentials | null;
  /** Whether `take(flowId)` would hand out credentials now. */
  has(flowId: string): boolean;
  forget(): void;
}

export interface PasswordMemoryDeps {
  now?: () => number;
  /** Runs `fn` after `ms`; returns its cancel. The timer drops the password even if nobody asks again. */
  schedule?: (fn: () => void, ms: number) => () => void;
  ttlMs?: number;
}

export const PASSWORD_MEMORY_TTL_MS = 15 * 60_000;

const browserSchedule = (fn: () => void, ms: number): (() => void) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

export function createPasswordMemory({ now = Date.now, schedule = browserSchedule, ttlMs = PASSWORD_MEMORY_TTL_MS }: PasswordMemoryDeps = {}): PasswordMemory {
  let kept: { flowId: string; credentials: Credentials; until: number } | null = null;
  let cancel: (() => void) | null = null;

  const forget = (): void => {
    kept = null;
    cancel?.();
    cancel = null;
  };
  // Checked on every read too: a suspended tab's timer may fire late.
  const live = (flowId: string): boolean => kept !== null && kept.flowId === flowId && now() < kept.until;

  return {
    remember(flowId, credentials) {
      forget();
      kept = { flowId, credentials: { ...credentials }, until: now() + ttlMs };
      cancel = schedule(forget, ttlMs);
    },
    take(flowId) {
      const credentials = live(flowId) && kept ? kept.credentials : null;
      // Any read ends the keeping: a wrong or expired flow must not leave the password behind either.
      forget();
      return credentials;
    },
    has: live,
    forget,
  };
}

/** The one memory of this page. */
export const passwordMemory = createPasswordMemory();
