import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTestUser, loginAs, type TestSession, type TestUser } from '../users/user.test-support.js';

/** Test-only helpers (excluded from the build): signed-in users and requests on their behalf. */

export interface ChatTestUser extends TestUser {
  session: TestSession;
  /** `app.inject` with this user's access token. */
  call(method: InjectOptions['method'], url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

export async function signedInUser(app: FastifyInstance): Promise<ChatTestUser> {
  const user = await createTestUser(app);
  const session = await loginAs(app, user);
  return {
    ...user,
    session,
    call: (method, url, payload) =>
      app.inject({ method, url, headers: session.headers, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) }),
  };
}

/** A new direct conversation of `a` and `b`; its id. */
export async function directConversation(a: ChatTestUser, b: ChatTestUser): Promise<string> {
  const res = await a.call('POST', '/v1/conversations', { type: 'direct', members: [b.id] });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`directConversation: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

/** Sends a message as `user`; the stored message. */
export async function sendMessage(user: ChatTestUser, conversationId: string, body: string, clientMessageId: string): Promise<{ id: string; body: string }> {
  const res = await user.call('POST', `/v1/conversations/${conversationId}/messages`, { body, clientMessageId });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`sendMessage: ${res.statusCode} ${res.body}`);
  return res.json();
}
