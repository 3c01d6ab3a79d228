import { createHmac, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SimClock } from './clock.ts';
import type { SimConfig } from './config.ts';

export interface Subscription {
  ID: string;
  CallbackURL: string;
  Topic: string;
  ClientID: string;
  Division: number;
  UserID: string;
  Created: number;
  Description: string | null;
}

export interface DeliveryRecord {
  subscriptionId: string;
  callbackUrl: string;
  topic: string;
  action: string;
  key: string;
  attempts: number;
  status: number | null;
  delivered: boolean;
}

interface WebhookContent {
  Topic: string;
  ClientId: string;
  Division: number;
  Action: 'Update' | 'Delete';
  Key: string;
  ExactOnlineEndpoint: string;
  EventCreatedOn: string;
}

/**
 * The topics a subscription may name: those on both lists of Exact's topics that two independent clients keep
 * (affiliprint/django-exact `exact/models.py` Webhook.TOPIC_CHOICES; pdik/laravelExactonline
 * `src/Services/Exact.php`), as far as this simulator has their data. Neither has `Addresses`.
 */
export const TOPICS = [
  'Accounts',
  'Contacts',
  'FinancialTransactions',
  'GoodsDeliveries',
  'Items',
  'PurchaseOrders',
  'Quotations',
  'SalesInvoices',
  'SalesOrders',
  'StockPositions',
];

const TIMEOUT_MS = 2000;
const RETRY_DELAYS_MS = [250, 1000, 3000];
const MAX_IN_FLIGHT = 16;
const LOG_SIZE = 2000;

/** Exact's signature: upper-case hex HMAC-SHA256 of the raw `Content` JSON text, keyed with the webhook secret. */
function signedBody(content: WebhookContent, secret: string): string {
  const raw = JSON.stringify(content);
  const hash = createHmac('sha256', secret).update(raw).digest('hex').toUpperCase();
  return `{"Content":${raw},"HashCode":"${hash}"}`;
}

/** Subscriptions and fire-and-forget deliveries with a short timeout and a few retries; never throws. */
export class WebhookHub {
  private readonly subs = new Map<string, Subscription>();
  private log: DeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queue: Array<() => Promise<void>> = [];
  private inFlight = 0;
  private closed = false;

  constructor(
    private readonly clock: SimClock,
    private readonly config: () => SimConfig,
    private readonly logger: Logger,
  ) {}

  /** Creates a subscription after Exact's validation call (an empty POST to the callback; its answer is logged). */
  async subscribe(input: Omit<Subscription, 'ID' | 'Created'>): Promise<Subscription> {
    const status = await this.post(input.CallbackURL, '');
    if (status === null || status >= 300) {
      this.logger.warn(
        { callback: input.CallbackURL, status },
        'webhook validation call not answered with 2xx',
      );
    }
    const sub: Subscription = { ...input, ID: randomUUID(), Created: this.clock.now() };
    this.subs.set(sub.ID, sub);
    return sub;
  }

  get(id: string): Subscription | undefined {
    return this.subs.get(id);
  }

  remove(id: string): boolean {
    return this.subs.delete(id);
  }

  list(filter: { clientId?: string; division?: number } = {}): Subscription[] {
    return [...this.subs.values()].filter(
      (s) =>
        (filter.clientId === undefined || s.ClientID === filter.clientId) &&
        (filter.division === undefined || s.Division === filter.division),
    );
  }

  deliveries(): DeliveryRecord[] {
    return [...this.log];
  }

  /** Queues a delivery to every subscription of the division and topic. */
  notify(division: number, topic: string, action: 'Update' | 'Delete', key: string, endpoint: string): void {
    for (const sub of this.subs.values()) {
      if (sub.Division !== division || sub.Topic !== topic) continue;
      const secret = this.config().clients.find((c) => c.clientId === sub.ClientID)?.webhookSecret ?? '';
      const content: WebhookContent = {
        Topic: topic,
        ClientId: sub.ClientID,
        Division: division,
        Action: action,
        Key: key,
        ExactOnlineEndpoint: endpoint,
        EventCreatedOn: new Date(this.clock.now()).toISOString(),
      };
      const record: DeliveryRecord = {
        subscriptionId: sub.ID,
        callbackUrl: sub.CallbackURL,
        topic,
        action,
        key,
        attempts: 0,
        status: null,
        delivered: false,
      };
      this.log.push(record);
      if (this.log.length > LOG_SIZE) this.log = this.log.slice(-LOG_SIZE / 2);
      this.enqueue(() => this.attempt(record, signedBody(content, secret)));
    }
  }

  clear(): void {
    this.subs.clear();
    this.log = [];
    this.queue.length = 0;
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(record: DeliveryRecord, body: string): Promise<void> {
    record.attempts++;
    record.status = await this.post(record.callbackUrl, body);
    record.delivered = record.status !== null && record.status < 300;
    const delay = RETRY_DELAYS_MS[record.attempts - 1];
    if (record.delivered || delay === undefined || this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(() => this.attempt(record, body));
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private enqueue(task: () => Promise<void>): void {
    if (this.closed) return;
    this.queue.push(task);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && !this.closed) {
      const task = this.queue.shift();
      if (!task) return;
      this.inFlight++;
      task()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'webhook delivery failed'))
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  /** POSTs and answers the status, or null when the callback could not be reached in time. */
  private async post(url: string, body: string): Promise<number | null> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch {
      return null;
    }
  }
}
