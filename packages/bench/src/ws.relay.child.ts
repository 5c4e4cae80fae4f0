// The baseline of `pnpm bench:ws`: a bare `ws` relay in its own process. Every frame
// `{type:'message.send', requestId, conversationId, body, clientMessageId}` is acked to its sender
// and relayed as `message.new` to every socket, like the gateway does for a room's members — with
// no authentication, validation, persistence or cross-instance hop. Prints `{"port":N}` once listening.
import { WebSocketServer, type WebSocket } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
let nextId = 0;
server.on('connection', (socket: WebSocket) => {
  socket.on('message', (data) => {
    let frame: { type?: string; requestId?: string; conversationId?: string; body?: string; clientMessageId?: string; senderId?: string };
    try {
      frame = JSON.parse(data.toString()) as typeof frame;
    } catch {
      return;
    }
    if (frame.type !== 'message.send') return;
    nextId += 1;
    const message = { id: String(nextId), conversationId: frame.conversationId, senderId: frame.senderId ?? '', clientMessageId: frame.clientMessageId, body: frame.body };
    socket.send(JSON.stringify({ type: 'ack', requestId: frame.requestId, result: { created: true, message } }));
    const event = JSON.stringify({ type: 'message.new', conversationId: frame.conversationId, message });
    for (const client of server.clients) if (client.readyState === client.OPEN) client.send(event);
  });
});
server.on('listening', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: address !== null && typeof address === 'object' ? address.port : 0 })}\n`);
});
// The bench ends the relay by closing stdin (or killing it).
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));
