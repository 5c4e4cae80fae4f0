import t from 'tap';
import { WS_BEARER_PREFIX as contractPrefix, WS_CLOSE_CODES, WS_SUBPROTOCOL as contractSubprotocol } from '@ashchat/contracts';
import { CLOSE, WS_BEARER_PREFIX, WS_SUBPROTOCOL } from './realtime.protocol.js';

// The typecheck ties each copy to the contract's literal types; this checks the values at run time too.
t.test('the client copies of the WebSocket constants equal the contract', async (t) => {
  t.equal(WS_SUBPROTOCOL, contractSubprotocol);
  t.equal(WS_BEARER_PREFIX, contractPrefix);
  t.same(CLOSE, Object.fromEntries(Object.entries(WS_CLOSE_CODES).map(([name, { code }]) => [name, code])));
});
