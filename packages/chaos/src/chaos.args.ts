// The command line of `pnpm chaos`.

export interface ChaosArgs {
  quick: boolean;
  seed: number;
  /** Where the markdown goes; undefined = the default for the kind of run. */
  out: string | undefined;
  help: boolean;
}

export const USAGE = `usage: pnpm chaos [--quick] [--seed N] [--out FILE]
  --quick     about 45 s in all; prints the table and writes it under $TMPDIR, never into docs/
  --seed N    repeat a run: the same schedule and the same load decisions (default: random, printed)
  --out FILE  where the markdown goes (default docs/reliability.md for a full run)`;

/** Throws with a one-line reason on anything it does not understand. */
export function parseChaosArgs(argv: readonly string[], randomSeed: () => number): ChaosArgs {
  const args: ChaosArgs = { quick: false, seed: -1, out: undefined, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[(i += 1)];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--quick') args.quick = true;
    else if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--out') args.out = value();
    else if (flag === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new Error(`--seed must be an integer 0…4294967295, not ${v}`);
      args.seed = Number(v);
    } else if (arg !== '--') throw new Error(`unknown argument ${arg}`);
  }
  if (args.seed === -1) args.seed = randomSeed() >>> 0;
  return args;
}
