import t from 'tap';
import { buildTestApp } from '../app.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';

t.test('authentication comes before validation: no token → 401 whatever the body', async (t) => {
  const app = await buildTestApp(t);
  const noToken = await app.inject({ method: 'POST', url: '/v1/conversations', payload: { type: 'nonsense' } });
  t.equal(noToken.statusCode, 401);
  t.equal(noToken.json().code, 'UNAUTHENTICATED');
  const badToken = await app.inject({ method: 'PATCH', url: '/v1/me', headers: { authorization: 'Bearer not-a-jwt' }, payload: 'not json' });
  t.equal(badToken.statusCode, 401, 'a body that is not even JSON is not parsed for an unauthenticated request');

  const user = await createTestUser(app);
  const { headers } = await loginAs(app, user);
  const invalid = await app.inject({ method: 'POST', url: '/v1/conversations', headers, payload: { type: 'nonsense' } });
  t.equal(invalid.statusCode, 400, 'signed in, the same body is a validation error');
  t.equal(invalid.json().code, 'VALIDATION_FAILED');
});
