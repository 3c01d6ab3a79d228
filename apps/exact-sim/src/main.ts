import { parseEnv } from './env.ts';
import { startSimulator } from './index.ts';

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv(process.env);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const sim = await startSimulator({ ...env.config, port: env.port, host: env.host, logLevel: env.logLevel });
// Spawning tests read this exact first line to learn the URL.
process.stdout.write(`exact-sim listening on ${sim.url}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  sim.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
