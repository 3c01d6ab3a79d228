import { parseEnv, type ServiceEnv, serviceEnvSchema } from '@exact-sync/core';

export type WorkerConfig = ServiceEnv;

/** Parses the worker's environment once; throws a ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  return parseEnv(serviceEnvSchema, env);
}
