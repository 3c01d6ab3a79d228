import { z } from 'zod';
import { Prng } from './prng.ts';

const rate = z.number().min(0).max(1);

/** `PUT /_sim/faults` body; missing fields are off. */
export const faultsSchema = z.strictObject({
  serverErrorRate: rate.default(0),
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  resetAfterPostRate: rate.default(0),
  headerless429Rate: rate.default(0),
  only: z.enum(['orders', 'sync', 'all']).default('all'),
});

export type Faults = z.infer<typeof faultsSchema>;

/** Which requests a fault setting targets. */
export type FaultScope = 'orders' | 'sync' | 'other';

export const NO_FAULTS: Faults = faultsSchema.parse({});

/** The injected faults and the dice they roll (seeded, so a benchmark's faults repeat). */
export class FaultInjector {
  current: Faults = NO_FAULTS;
  private prng = new Prng(0xfa17);

  set(faults: Faults, seed: number): void {
    this.current = faults;
    this.prng = new Prng(seed ^ 0xfa17);
  }

  applies(scope: FaultScope): boolean {
    return this.current.only === 'all' || this.current.only === scope;
  }

  roll(rateValue: number): boolean {
    return rateValue > 0 && this.prng.float() < rateValue;
  }

  serverErrorStatus(): number {
    return this.prng.pick([500, 502, 503]);
  }
}
