import type { ReadinessResponse } from '@ashchat/contracts';

export type ReadinessCheck = () => Promise<unknown>;

export interface ReadinessResult {
  body: ReadinessResponse;
  /** Why each failed check is down, for the log only: reasons may name hosts. */
  failures: Record<string, string>;
}

/**
 * Runs every check at once, each bounded by `timeoutMs`: a readiness probe must answer quickly
 * even when a dependency hangs instead of refusing.
 */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessResult> {
  const names = Object.keys(checks);
  const outcomes = await Promise.all(names.map((name) => withTimeout(checks[name]!, timeoutMs)));
  const body: ReadinessResponse = { status: 'ready', checks: {} };
  const failures: Record<string, string> = {};
  names.forEach((name, i) => {
    const failure = outcomes[i];
    body.checks[name] = failure === undefined ? 'up' : 'down';
    if (failure !== undefined) {
      body.status = 'not-ready';
      failures[name] = failure;
    }
  });
  return { body, failures };
}

/** Resolves to undefined when the check passed in time, else to the reason. */
async function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const run = Promise.resolve()
    .then(check)
    .then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
