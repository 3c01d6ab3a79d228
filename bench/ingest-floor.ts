/**
 * The per-request floor of the ingest benchmark: the least a correct ingest does for one request. A Fastify server
 * (logging off) whose `POST /v1/orders` validates the body (zod, the order's shape), writes the order and its
 * lines in one transaction (postgres.js, a pool of 10, the service's `orders` and `order_lines` tables) and adds
 * one BullMQ job, then answers 202 with the order's id. No authentication, no replay or conflict check, no
 * business rules: what is left is the cost of the work every accepted order needs. Started by
 * bench/ingest.bench.ts on a free port with DATABASE_URL, REDIS_URL, REDIS_PREFIX and CONNECTION_ID.
 */
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { z } from 'zod';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const connectionId = env('CONNECTION_ID');
const sql = postgres(env('DATABASE_URL'), { max: 10, onnotice: () => {} });
const redis = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null });
const queue = new Queue('floor', { connection: redis, prefix: `{${env('REDIS_PREFIX')}}` });

const positive = z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/)]);
const body = z
  .object({
    reference: z.string().min(1).max(64),
    customer: z.object({ code: z.string().min(1).max(64) }).strict(),
    lines: z
      .array(z.object({ sku: z.string().min(1).max(64), quantity: positive, unitPrice: positive.optional() }))
      .min(1)
      .max(500),
  })
  .strict();

const app = Fastify({ logger: false });
app.post('/v1/orders', async (request, reply) => {
  const parsed = body.safeParse(request.body);
  if (!parsed.success) return reply.code(400).send({ error: 'validation_failed' });
  const order = parsed.data;
  const id = await sql.begin(async (tx) => {
    const [row] = await tx`
      insert into orders (connection_id, channel, reference, your_ref, payload_hash, customer)
      values (${connectionId}, 'b2b', ${order.reference}, ${order.reference}, ${order.reference},
        ${tx.json(order.customer)})
      returning id`;
    const orderId = row?.id as string;
    await tx`insert into order_lines ${tx(
      order.lines.map((line, i) => ({
        order_id: orderId,
        line_no: i + 1,
        sku: line.sku,
        quantity: String(line.quantity),
        unit_price: line.unitPrice === undefined ? null : String(line.unitPrice),
      })),
    )}`;
    return orderId;
  });
  await queue.add('order.submit', { orderId: id }, { jobId: id, removeOnComplete: true });
  return reply.code(202).send({ id, status: 'accepted' });
});

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`ingest floor listening on ${address}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void app
      .close()
      .then(() => Promise.all([queue.close(), sql.end({ timeout: 2 })]))
      .then(() => {
        redis.disconnect();
        process.exit(0);
      });
  });
