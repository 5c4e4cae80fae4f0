import t from 'tap';
import { isPlainClick, matchPath, resolveRoute } from './router.match.js';

t.test('matchPath: static and named segments, trailing slashes, decoding', async (t) => {
  t.same(matchPath('/', '/'), {});
  t.same(matchPath('/settings', '/settings/'), {});
  t.equal(matchPath('/settings', '/settings/x'), null);
  t.equal(matchPath('/settings', '/'), null);
  t.same(matchPath('/c/:conversationId', '/c/65f0a1b2c3d4e5f6a7b8c9d0'), { conversationId: '65f0a1b2c3d4e5f6a7b8c9d0' });
  t.same(matchPath('/c/:id', '/c/a%20b'), { id: 'a b' });
  t.equal(matchPath('/c/:id', '/c/%E0%A4%A'), null, 'a malformed escape matches nothing instead of throwing');
  t.equal(matchPath('/c/:id', '/c'), null);
  t.same(matchPath('*', '/anything/at/all'), {});
});

t.test('resolveRoute: the first matching route wins', async (t) => {
  const routes = [
    { path: '/', value: 'home' },
    { path: '/c/:id', value: 'conversation' },
    { path: '/c/new', value: 'never reached' },
  ];
  t.same(resolveRoute(routes, '/c/new'), { value: 'conversation', params: { id: 'new' } });
  t.same(resolveRoute(routes, '/'), { value: 'home', params: {} });
  t.equal(resolveRoute(routes, '/nope'), null);
});

t.test('isPlainClick: only an unmodified left click stays in the page', async (t) => {
  const base = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
  t.equal(isPlainClick(base), true);
  t.equal(isPlainClick({ ...base, button: 1 }), false);
  t.equal(isPlainClick({ ...base, ctrlKey: true }), false);
  t.equal(isPlainClick({ ...base, metaKey: true }), false);
  t.equal(isPlainClick({ ...base, defaultPrevented: true }), false);
});
