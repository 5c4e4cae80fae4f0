import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { uniqueName } from '@ashchat/testkit';
import type { Operation } from './load.runner.js';
import type { RegistrationEnv } from './registration.env.js';

/** 409 answers that mean "the code is still on its way; try again shortly". */
const NOT_YET = new Set(['REGISTRATION_PENDING', 'REGISTRATION_BUSY', 'VERIFICATION_IN_PROGRESS']);

export interface FlowCounters {
  /** Verify calls answered "not yet" and repeated (the mail can arrive before the saga records code-sent). */
  verifyRetries: number;
  /** Status polls after a 202 from verify (the verifier answered after VERIFY_WAIT_MS). */
  statusPolls: number;
}

const fail = (what: string, statusCode: number, body: unknown): Error =>
  new Error(`${what} answered ${statusCode}: ${JSON.stringify(body).slice(0, 300)}`);

/**
 * One complete registration, as a client does it: POST (202) → the code arrives by mail → POST
 * the code → `completed` (the user is stored before the saga completes). Reports the latency of
 * register, of the mail, and of verify.
 */
export function registrationOperation(env: RegistrationEnv, counters: FlowCounters, deadlineMs = 30_000): Operation {
  const { client, inbox } = env;
  return async () => {
    const email = `${uniqueName('bench')}@example.org`;
    const t0 = performance.now();
    const created = await client.register({
      email,
      password: randomBytes(12).toString('base64url'),
      nickname: 'bench user',
      preferredLanguage: 'en',
    });
    const t1 = performance.now();
    if (created.statusCode !== 202) throw fail('register', created.statusCode, created.body);
    const id = created.body.registrationId;
    const code = await inbox.waitForCode(email, deadlineMs);
    const t2 = performance.now();

    const giveUp = Date.now() + deadlineMs;
    let verified = await client.verify(id, code);
    while (verified.statusCode === 409 && NOT_YET.has(String(verified.body.code)) && Date.now() < giveUp) {
      counters.verifyRetries += 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
      verified = await client.verify(id, code);
    }
    let status = verified.body.status;
    if (verified.statusCode === 202) {
      while (status !== 'completed' && Date.now() < giveUp) {
        counters.statusPolls += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        const answer = await client.status(id);
        status = answer.body.status;
      }
    } else if (verified.statusCode !== 200) throw fail('verify', verified.statusCode, verified.body);
    if (status !== 'completed') throw new Error(`registration ${id} ended as ${String(status)}, not completed`);
    const t3 = performance.now();
    return { register: t1 - t0, mail: t2 - t1, verify: t3 - t2 };
  };
}
