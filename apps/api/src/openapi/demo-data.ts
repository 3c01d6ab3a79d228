/**
 * Records of the demo division (`./scripts/start.sh` without Exact credentials: the simulator with its fixed seed,
 * SIM_SEED=1), used in the document's examples so that "Try it out" places an order the demo accepts and submits.
 * `apps/api/test/start-command.e2e.test.ts` places the documented example order in the demo and fails when these
 * are no longer there.
 */
export const DEMO = {
  /** A sales item: "Classic Ceramic Candle Black". */
  sku: 'CAN-000003',
  /** An active, unblocked customer account: "Hendriks Wonen V.O.F.". */
  customerCode: '1002',
} as const;
