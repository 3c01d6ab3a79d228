import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Collection, DIVISION, type ExactErrorBody, json, type Sim, startSim } from './helpers.ts';

interface Received {
  body: string;
}

let sim: Sim;
let token: string;
let receiver: Server;
let callbackUrl: string;
let received: Received[];
/** Statuses the receiver answers, in order; 200 once used up. */
let answers: number[];

beforeEach(async () => {
  sim = await startSim({
    clients: [
      { clientId: 'exact-sim-client', clientSecret: 'exact-sim-secret', webhookSecret: 'hook-secret' },
    ],
  });
  token = await sim.token();
  received = [];
  answers = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      received.push({ body });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/exact`;
});
afterEach(async () => {
  await sim.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

function subscribe(topic: string, url = callbackUrl): Promise<Response> {
  return sim.api(token, `${DIVISION}/webhooks/WebhookSubscriptions`, {
    method: 'POST',
    body: JSON.stringify({ CallbackURL: url, Topic: topic }),
  });
}

/** Splits a delivery the way a receiver must: the raw Content text, exactly as sent, and the HashCode. */
function parseDelivery(body: string): { raw: string; hash: string; content: Record<string, unknown> } {
  const match = /^\{"Content":(.*),"HashCode":"([0-9A-F]+)"\}$/s.exec(body);
  if (!match?.[1] || !match[2]) throw new Error(`unexpected delivery ${body}`);
  return { raw: match[1], hash: match[2], content: JSON.parse(match[1]) as Record<string, unknown> };
}

describe('webhook subscriptions', () => {
  it('validates the callback with an empty POST, then lists, reads and deletes the subscription', async () => {
    const created = await subscribe('Items');
    expect(created.status).toBe(201);
    const sub = (await json<{ d: { ID: string; Topic: string; CallbackURL: string } }>(created)).d;
    expect(sub).toMatchObject({ Topic: 'Items', CallbackURL: callbackUrl });
    expect(received).toEqual([{ body: '' }]);

    const list = await json<Collection<{ ID: string }>>(
      await sim.api(token, `${DIVISION}/webhooks/WebhookSubscriptions`),
    );
    expect(list.d.results.map((s) => s.ID)).toEqual([sub.ID]);
    const one = await sim.api(token, `${DIVISION}/webhooks/WebhookSubscriptions(guid'${sub.ID}')`);
    expect(one.status).toBe(200);
    const removed = await sim.api(token, `${DIVISION}/webhooks/WebhookSubscriptions(guid'${sub.ID}')`, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(204);
    const empty = await json<Collection>(await sim.api(token, `${DIVISION}/webhooks/WebhookSubscriptions`));
    expect(empty.d.results).toEqual([]);
  });

  it('refuses unknown topics, bad URLs and duplicates with Exact error bodies', async () => {
    expect((await subscribe('Nope')).status).toBe(400);
    // No list of Exact's topics has addresses (affiliprint/django-exact, pdik/laravelExactonline).
    const addresses = await subscribe('Addresses');
    expect(addresses.status).toBe(400);
    expect((await json<ExactErrorBody>(addresses)).error.message.value).toMatch(/unknown topic/);
    const badUrl = await subscribe('Items', 'not a url');
    expect(badUrl.status).toBe(400);
    expect((await json<ExactErrorBody>(badUrl)).error.message.value).toMatch(/CallbackURL/);
    expect((await subscribe('Items')).status).toBe(201);
    expect((await subscribe('Items')).status).toBe(400);
  });
});

describe('webhook deliveries', () => {
  it('delivers signed Content on changes: HMAC-SHA256 of the raw Content text, upper-case hex', async () => {
    await subscribe('Items');
    await subscribe('Accounts');
    received = [];
    const { body } = await sim.control<{ updated: string[] }>('POST', `/_sim/divisions/${DIVISION}/mutate`, {
      entity: 'items',
      update: 2,
    });
    await until(() => received.length === 2);
    for (const delivery of received) {
      const { raw, hash, content } = parseDelivery(delivery.body);
      expect(hash).toBe(createHmac('sha256', 'hook-secret').update(raw).digest('hex').toUpperCase());
      expect(content).toMatchObject({
        Topic: 'Items',
        ClientId: 'exact-sim-client',
        Division: DIVISION,
        Action: 'Update',
      });
      expect(body.updated).toContain(content.Key);
      expect(content.ExactOnlineEndpoint).toBe(
        `${sim.url}/api/v1/${DIVISION}/logistics/Items(guid'${String(content.Key)}')`,
      );
      expect(Number.isNaN(Date.parse(String(content.EventCreatedOn)))).toBe(false);
    }
  });

  it('sends Delete actions and only to the matching topic', async () => {
    await subscribe('Accounts');
    received = [];
    const { body } = await sim.control<{ deleted: string[] }>('POST', `/_sim/divisions/${DIVISION}/mutate`, {
      entity: 'accounts',
      delete: 1,
    });
    await sim.control('POST', `/_sim/divisions/${DIVISION}/mutate`, { entity: 'stock', update: 1 });
    await until(() => received.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    expect(parseDelivery(received[0]?.body ?? '').content).toMatchObject({
      Topic: 'Accounts',
      Action: 'Delete',
      Key: body.deleted[0],
    });
  });

  it('announces no change of an address: Exact has no topic for them', async () => {
    for (const topic of ['Accounts', 'Contacts', 'Items']) await subscribe(topic);
    received = [];
    await sim.control('POST', `/_sim/divisions/${DIVISION}/mutate`, { entity: 'addresses', update: 2 });
    await sim.control('POST', `/_sim/divisions/${DIVISION}/mutate`, { entity: 'contacts', update: 1 });
    await until(() => received.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((r) => parseDelivery(r.body).content.Topic)).toEqual(['Contacts']);
  });

  it('retries a failed delivery', async () => {
    await subscribe('StockPositions');
    received = [];
    answers = [500];
    await sim.control('POST', `/_sim/divisions/${DIVISION}/mutate`, { entity: 'stock', update: 1 });
    await until(() => received.length === 2);
    expect(received[0]?.body).toBe(received[1]?.body);
    const log = await sim.control<{ deliveries: Array<{ attempts: number; delivered: boolean }> }>(
      'GET',
      '/_sim/webhooks',
    );
    expect(log.body.deliveries).toEqual([expect.objectContaining({ attempts: 2, delivered: true })]);
  });

  it('survives an unreachable callback', async () => {
    await subscribe('Items', 'http://127.0.0.1:9/nowhere');
    await sim.control('POST', `/_sim/divisions/${DIVISION}/mutate`, { entity: 'items', update: 1 });
    expect((await sim.control('GET', '/_sim/health')).status).toBe(200);
  });
});
