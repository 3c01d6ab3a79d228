/**
 * The baseline of the ingest benchmark: a bare Fastify server with one `POST /v1/orders` route that parses the
 * JSON body and answers 202 with a new id, nothing else. Started by bench/ingest.bench.ts on a free port.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/v1/orders', async (_request, reply) =>
  reply.code(202).send({ id: randomUUID(), status: 'accepted' }),
);
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`bare fastify listening on ${address}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void app.close().then(() => process.exit(0)));
