import type { Logger } from 'pino';
import { SimClock } from './clock.ts';
import { mergeConfig, type SimConfig, type SimConfigPatch } from './config.ts';
import type { ChangeSet } from './dataset/changes.ts';
import { generateDataset } from './dataset/dataset.ts';
import type { DivisionStore } from './dataset/division-store.ts';
import { ENTITIES, isEntityName } from './dataset/entities.ts';
import { ForeignDeletions } from './dataset/foreign-deletions.ts';
import { ErrorBudget } from './error-budget.ts';
import { FaultInjector, NO_FAULTS } from './faults.ts';
import { OrderStore } from './orders-store.ts';
import { RateLimiter } from './rate-limits.ts';
import { SchemaDrops } from './schema-drops.ts';
import { CallStats } from './stats.ts';
import { TokenStore } from './tokens.ts';
import { WebhookHub } from './webhooks.ts';

/** Everything the simulator knows; routes read and change it, the control API resets it. */
export class SimState {
  config: SimConfig;
  divisions: Map<number, DivisionStore>;
  readonly clock = new SimClock();
  readonly tokens: TokenStore;
  readonly limiter = new RateLimiter();
  readonly errors = new ErrorBudget();
  readonly stats = new CallStats();
  readonly orders = new OrderStore();
  readonly faults = new FaultInjector();
  readonly drops = new SchemaDrops();
  readonly foreign = new ForeignDeletions();
  readonly webhooks: WebhookHub;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  baseUrl = '';

  constructor(
    config: SimConfig,
    readonly logger: Logger,
  ) {
    this.config = config;
    this.divisions = generateDataset(config);
    this.tokens = new TokenStore(this.clock, () => this.config);
    this.webhooks = new WebhookHub(this.clock, () => this.config, logger);
  }

  /**
   * Back to a fresh start: new dataset, no tokens, stats, orders, faults, subscriptions, dropped fields or clock
   * offset.
   */
  reset(patch: SimConfigPatch): void {
    this.config = mergeConfig(this.config, patch);
    this.divisions = generateDataset(this.config);
    this.clock.reset();
    this.tokens.reset();
    this.limiter.clear();
    this.errors.clear();
    this.stats.clear();
    this.orders.clear();
    this.faults.set(NO_FAULTS, this.config.seed);
    this.webhooks.clear();
    this.drops.restore();
    this.foreign.clear();
  }

  /**
   * Fires webhooks for a mutation: one per topic, key and action (a price change notifies its item, an order line
   * its order). The plain REST entities (price lists, VAT codes, …) have no webhooks.
   */
  notifyChanges(division: number, changes: ChangeSet): void {
    const seen = new Set<string>();
    for (const event of changes.events) {
      if (!isEntityName(event.entity)) continue;
      const meta = ENTITIES[event.entity];
      if (meta.topic === null) continue;
      const key = String((event.record as unknown as Record<string, unknown>)[meta.webhookKey]);
      const dedupe = `${meta.topic}|${key}|${event.action}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const endpoint = `${this.baseUrl}/api/v1/${division}/${meta.webhookPath}(guid'${key}')`;
      this.webhooks.notify(division, meta.topic, event.action, key, endpoint);
    }
  }
}
