import type { DeviceVerificationRequired, SessionTokens } from '@ashchat/contracts';
import { deviceId, deviceName, http, session } from '../api/api.js';
import { passwordMemory, type Credentials } from './password.memory.js';

export type SignInResult = { kind: 'signed-in' } | { kind: 'challenge'; challengeId: string };

/**
 * POST /v1/sessions from this device: signed in (201), or the device challenge it needs first (202;
 * the password is kept in memory so the challenge's end signs in without asking again). Throws ApiError.
 */
export async function requestSession(credentials: Credentials): Promise<SignInResult> {
  const body = { email: credentials.email, password: credentials.password, deviceId: deviceId(), deviceName: deviceName() };
  const answer = await http.exchange<SessionTokens | DeviceVerificationRequired>('POST', '/v1/sessions', body, { auth: false });
  if (answer.status === 202 && 'challengeId' in answer.data) {
    passwordMemory.remember(answer.data.challengeId, credentials);
    return { kind: 'challenge', challengeId: answer.data.challengeId };
  }
  await session.signIn(answer.data as SessionTokens);
  return { kind: 'signed-in' };
}

export type AutoSignIn = { kind: 'signed-in' } | { kind: 'no-password' } | { kind: 'failed'; email: string };

/**
 * At the end of a flow (registration or device challenge `flowId`) whose device is trusted now: signs in
 * with the password typed for it in this tab, if it is still in memory. Never throws: a refusal, a
 * network error or yet another device challenge (unexpected here) is `failed`, and the caller sends
 * the person to the sign-in page — a second challenge would only mail a second code.
 */
export async function signInAfterFlow(flowId: string): Promise<AutoSignIn> {
  const credentials = passwordMemory.take(flowId);
  if (!credentials) return { kind: 'no-password' };
  try {
    const result = await requestSession(credentials);
    if (result.kind === 'signed-in') return result;
    passwordMemory.forget();
  } catch {
    // The reason is not shown: the sign-in page asks for the password and tells its own errors.
  }
  return { kind: 'failed', email: credentials.email };
}
