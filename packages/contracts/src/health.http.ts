import { Type, type Static } from '@sinclair/typebox';

export const HealthResponse = Type.Object({ status: Type.Literal('ok') }, { $id: 'HealthResponse' });
export type HealthResponse = Static<typeof HealthResponse>;

export const ReadinessResponse = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
    checks: Type.Record(Type.String(), Type.Union([Type.Literal('up'), Type.Literal('down')])),
  },
  { $id: 'ReadinessResponse' },
);
export type ReadinessResponse = Static<typeof ReadinessResponse>;
