import { parseEnv, type ServiceEnv, serviceEnvSchema } from '@exact-sync/core';

export type ApiConfig = ServiceEnv;

/** Parses the api's environment once; throws a ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return parseEnv(serviceEnvSchema, env);
}
