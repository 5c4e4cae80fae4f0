import { Type, type Static } from '@sinclair/typebox';

export const HealthResponse = Type.Object(
  { status: Type.Literal('ok', { description: 'Always `ok`: answering at all is the signal' }) },
  { $id: 'HealthResponse', description: 'The process is alive.', examples: [{ status: 'ok' }] },
);
export type HealthResponse = Static<typeof HealthResponse>;

export const ReadinessResponse = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')], {
      description: '`ready` when every dependency answered, `not-ready` otherwise',
    }),
    checks: Type.Record(Type.String(), Type.Union([Type.Literal('up'), Type.Literal('down')]), {
      description: 'Each dependency (`mongodb`, `redis`, `rabbitmq`) and whether it answered within the check timeout',
    }),
  },
  {
    $id: 'ReadinessResponse',
    description: 'Whether this instance can serve traffic now.',
    examples: [
      { status: 'ready', checks: { mongodb: 'up', redis: 'up', rabbitmq: 'up' } },
      { status: 'not-ready', checks: { mongodb: 'up', redis: 'down', rabbitmq: 'up' } },
    ],
  },
);
export type ReadinessResponse = Static<typeof ReadinessResponse>;
