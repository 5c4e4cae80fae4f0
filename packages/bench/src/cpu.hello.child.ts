// Baseline of `cpu.bench.ts`: a bare Fastify hello-world in a process of its own (no logger), so its
// CPU per request is read from /proc like the backend's. Prints `{"port":N}`; ends when stdin ends.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(address).port) })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void app.close().then(() => process.exit(0)));
