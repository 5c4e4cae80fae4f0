// The progress bar of `pnpm bench` on stderr: which bench of how many, what it is doing (its last
// log line), and a bar over the expected durations. On a terminal one line is redrawn each second;
// otherwise (CI, a pipe, a test) a plain line is printed whenever the step changes, nothing else.

export interface ProgressStage {
  name: string;
  /** A guess, only for the bar: the bar never claims a stage is done before it is. */
  expectedMs: number;
}

export interface Progress {
  start(index: number): void;
  /** What the running stage says it is doing. */
  step(text: string): void;
  finish(index: number, outcome: string): void;
  close(): void;
}

const WIDTH = 24;

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** `[#######.................] 31%`: the fraction clamped to 0..1. */
export function bar(fraction: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.round(f * 100)).padStart(3)}%`;
}

export function createProgress(stages: readonly ProgressStage[], out: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  const total = stages.reduce((sum, s) => sum + s.expectedMs, 0);
  const began = now();
  let current = -1;
  let stageStart = began;
  let doneMs = 0;
  let text = '';
  const tty = out.isTTY === true;

  const line = (): string => {
    const stage = stages[current];
    // A stage counts at most 95 % of its guess until it has really ended.
    const inStage = stage ? Math.min(now() - stageStart, stage.expectedMs * 0.95) : 0;
    const head = stage ? `${current + 1}/${stages.length} ${stage.name}` : `${stages.length}/${stages.length}`;
    return `[bench] ${bar((doneMs + inStage) / total)} ${formatDuration(now() - began)} ${head}${text ? `: ${text}` : ''}`;
  };
  const draw = (): void => {
    if (tty) {
      const columns = out.columns ?? 100;
      const l = line();
      out.write(`\r\x1b[K${l.length > columns - 1 ? `${l.slice(0, columns - 2)}…` : l}`);
    } else out.write(`${line()}\n`);
  };
  const timer = tty ? setInterval(draw, 1_000) : undefined;
  timer?.unref();

  return {
    start(index) {
      current = index;
      stageStart = now();
      text = 'starting';
      draw();
    },
    step(next) {
      if (next === text) return;
      text = next;
      draw();
    },
    finish(index, outcome) {
      doneMs += stages[index]!.expectedMs;
      text = '';
      const message = `[bench] ${index + 1}/${stages.length} ${stages[index]!.name}: ${outcome} after ${formatDuration(now() - stageStart)}`;
      // The finished stage stays on screen; the bar continues below it.
      out.write(tty ? `\r\x1b[K${message}\n` : `${message}\n`);
      current = -1;
    },
    close() {
      if (timer) clearInterval(timer);
      if (tty) out.write('\r\x1b[K');
    },
  };
}
