/** One problem with one environment variable, worded for the person starting the service. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

/**
 * Thrown when the environment does not describe a valid configuration. It lists every problem at
 * once, so whoever starts the service fixes the whole environment in one go, not one variable per
 * restart. Messages never contain the value of a secret variable.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(['Invalid configuration:', ...problems.map((p) => `  - ${p.variable}: ${p.problem}`)].join('\n'));
    this.problems = Object.freeze([...problems]);
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
