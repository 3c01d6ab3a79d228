import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { DEFAULT_CONFIG, mergeConfig, type SimConfig, simConfigPatchSchema } from './config.ts';
import { createSimServer } from './server.ts';
import { SimState } from './state.ts';

export type {
  /** @internal */
  SimClient,
  /** @internal */
  SimConfig,
} from './config.ts';

/** Options of {@link startSimulator}: any SimConfig field plus where to listen and how much to log. */
export type StartOptions = Partial<SimConfig> & {
  /** Port; 0 (the default here) picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** pino level; default `warn`. */
  logLevel?: string;
};

/** A running simulator. */
export interface RunningSimulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the Exact Online simulator on 127.0.0.1. Options are validated like `PATCH /_sim/config` bodies;
 * anything not given keeps its default (see DEFAULT_CONFIG).
 */
export async function startSimulator(options: StartOptions = {}): Promise<RunningSimulator> {
  const { port = 0, host = '127.0.0.1', logLevel = 'warn', ...patch } = options;
  const config = mergeConfig(DEFAULT_CONFIG, simConfigPatchSchema.parse(patch));
  const logger = pino({ level: logLevel, name: 'exact-sim' });
  const state = new SimState(config, logger);
  const server = createSimServer(state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // Printed, and used for links when no Host header says better (127.0.0.1 reaches the default and 0.0.0.0).
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.baseUrl = url;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        state.webhooks.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
