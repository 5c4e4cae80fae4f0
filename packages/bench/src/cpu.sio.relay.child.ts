// Baseline of `cpu.bench.ts`: a bare Socket.io relay in a process of its own, the counterpart of
// ws.relay.child.ts. Every `message.send` is acknowledged to its sender (Socket.io's ack callback)
// and emitted as `message.new` to the room every socket joined — no authentication, validation or
// persistence. WebSocket transport only, no compression. Prints `{"port":N}`; ends when stdin ends.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

interface SendFrame {
  conversationId?: string;
  body?: string;
  clientMessageId?: string;
  senderId?: string;
}
const http = createServer();
const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
let nextId = 0;
io.on('connection', (socket) => {
  void socket.join('room');
  socket.on('message.send', (frame: SendFrame, ack?: (answer: unknown) => void) => {
    nextId += 1;
    const message = { id: String(nextId), conversationId: frame.conversationId, senderId: frame.senderId ?? '', clientMessageId: frame.clientMessageId, body: frame.body };
    ack?.({ created: true, message });
    io.to('room').emit('message.new', { conversationId: frame.conversationId, message });
  });
});
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`${JSON.stringify({ port: address !== null && typeof address === 'object' ? address.port : 0 })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => void io.close(() => process.exit(0)));
