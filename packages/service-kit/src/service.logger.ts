/**
 * The logging surface the kit needs: pino, Fastify's `app.log` and test loggers all fit, so the
 * package does not pin the services to one logger type.
 */
export interface ServiceLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
