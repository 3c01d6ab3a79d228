/** `pnpm build`: the JavaScript that production runs (the image, the start command). See bundle.ts. */
import { buildAll } from './bundle.ts';

const started = performance.now();
try {
  const built = await buildAll();
  for (const { entry, bytes } of built) console.log(`${entry.padEnd(36)} ${(bytes / 1024).toFixed(0)} KiB`);
  console.log(`built ${built.length} entry points in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  // esbuild prints its own errors; the others say what is wrong in their message.
  for (const e of error instanceof AggregateError ? error.errors : [error]) {
    if (!(e instanceof Error && 'errors' in e)) console.error(e instanceof Error ? e.message : e);
  }
  process.exit(1);
}
