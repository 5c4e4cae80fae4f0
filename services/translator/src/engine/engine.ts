/** A direction the engine translates in, as the contracts' language codes (`en`, `es`, `fr`). */
export interface Pair {
  from: string;
  to: string;
}

/**
 * One machine-translation engine (an adapter over its HTTP API). Codes in and out are the
 * contracts' ISO 639 codes; each adapter maps to its own.
 */
export interface TranslationEngine {
  readonly provider: string;
  /** Most texts one translate() call takes (1: the engine has no batch call). */
  readonly maxBatch: number;
  /** The directions the engine has, read from the engine each call (callers cache). */
  pairs(): Promise<Pair[]>;
  /** The translations of `texts`, in order. Throws EngineUnavailableError or EngineRefusedError. */
  translate(texts: string[], from: string, to: string): Promise<string[]>;
}

/** Unreachable, timed out, 5xx or 429: nothing is wrong with the text, so the request waits and tries again. */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError';
}

/** The engine answered the text itself with a refusal (4xx): trying again would give the same answer. */
export class EngineRefusedError extends Error {
  override readonly name = 'EngineRefusedError';
  constructor(
    message: string,
    readonly reason: 'engine-refused' | 'too-long',
  ) {
    super(message);
  }
}

/**
 * fetch with the per-call bound; every failure to get an answer becomes EngineUnavailableError.
 * Error messages name the engine path and status only: a body may echo the text.
 */
export async function engineFetch(url: URL, init: RequestInit, timeoutMs: number): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = err instanceof Error ? err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(err.cause ?? err.message) : String(err);
    throw new EngineUnavailableError(`${url.pathname}: ${cause}`);
  }
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    await response.body?.cancel();
    throw new EngineUnavailableError(`${url.pathname}: HTTP ${response.status}`);
  }
  return response;
}

/** Reads a JSON body; a body that is not JSON is the engine misbehaving, as good as unavailable. */
export async function jsonBody(response: Response, url: URL): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new EngineUnavailableError(`${url.pathname}: HTTP ${response.status} with a body that is not JSON`);
  }
}

/** `base` + `path`, keeping a base path (`https://host/apy/` + `translate`). */
export function engineUrl(base: string, path: string): URL {
  return new URL(path, base.endsWith('/') ? base : `${base}/`);
}
