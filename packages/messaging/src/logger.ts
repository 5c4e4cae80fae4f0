import type { Logger } from '@ashchat/contracts';

/** The one logger type (@ashchat/contracts), re-exported so messaging's users need no second import. */
export type { Logger };

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON line per entry on stderr; entries below `level` are discarded. */
export function createConsoleLogger(o: { level?: Level; bindings?: object } = {}): Logger {
  const min = ORDER[o.level ?? 'info'];
  const write = (level: Level) => (obj: object, msg?: string) => {
    if (ORDER[level] < min) return;
    process.stderr.write(`${JSON.stringify({ level, time: Date.now(), ...o.bindings, ...obj, msg })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Discards everything; for tests that assert on behaviour, not on log output. */
export function createSilentLogger(): Logger {
  const noop = () => undefined;
  return { debug: noop, info: noop, warn: noop, error: noop };
}

/** Errors are reduced to name/code/message so a logger never serialises sockets or URLs with credentials. */
export function describeError(err: unknown): { name: string; code?: string; message: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, ...(typeof code === 'string' ? { code } : {}), message: err.message };
  }
  return { name: 'NonError', message: String(err) };
}
