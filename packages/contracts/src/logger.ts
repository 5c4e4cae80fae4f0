/**
 * The one logger type of AshChat: the structural surface every package logs through. pino, Fastify's
 * `app.log` and the test loggers satisfy it, so no package pins the others to a logging library.
 * Packages that need less take a `Pick<Logger, …>`.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
