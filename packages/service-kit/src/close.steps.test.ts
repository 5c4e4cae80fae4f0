import t from 'tap';
import { closeSteps } from './close.steps.js';

t.test('every step runs in order, after a failing one too; the failures are logged and thrown together', async (t) => {
  const ran: string[] = [];
  const logged: Array<{ step: unknown; msg: string | undefined }> = [];
  const logger = { error: (obj: object, msg?: string) => void logged.push({ step: (obj as { step?: unknown }).step, msg }) };
  const boom = new Error('boom');
  const error = await closeSteps(logger, [
    ['worker', () => void ran.push('worker')],
    ['amqp', async () => (ran.push('amqp'), Promise.reject(boom))],
    ['redis', () => void ran.push('redis')],
    ['health server', () => {
      ran.push('health server');
      throw new Error('late');
    }],
  ]).then(
    () => undefined,
    (err: unknown) => err,
  );
  t.same(ran, ['worker', 'amqp', 'redis', 'health server']);
  t.ok(error instanceof AggregateError, 'an AggregateError');
  t.same((error as AggregateError).errors.map((e: Error) => e.message), ['boom', 'late']);
  t.same(logged, [
    { step: 'amqp', msg: 'close step failed' },
    { step: 'health server', msg: 'close step failed' },
  ]);
});

t.test('no failure: resolves, logs nothing', async (t) => {
  let errors = 0;
  await closeSteps({ error: () => void errors++ }, [['one', async () => undefined], ['two', () => 2]]);
  t.equal(errors, 0);
});
