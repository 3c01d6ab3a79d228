/**
 * What `pnpm build` makes: each deployable entry point bundled by esbuild into one ES module in its package's
 * `dist/` (`src/x.ts` → `dist/x.js`, with a source map), for `node` to run without tsx.
 *
 * - The workspace packages are TypeScript source, so they are bundled in. Third-party packages stay external and
 *   are loaded from node_modules at run time, from the entry's own package: with pnpm's strict layout that package
 *   must list every one of them in its `dependencies`, including those its workspace packages import (knip.json
 *   has them in `ignoreDependencies`, since the app's own code does not import them). The build refuses an import
 *   it would not find there, rather than make a process that fails to start.
 * - Modules that read files relative to themselves (`new URL('./x.lua', import.meta.url)`) are listed in ASSETS.
 *   In a bundle, their `import.meta.url` is their repository path under `dist/assets/`, and the files they read are
 *   copied there, so the code reads them as it does from source.
 * - Files are written to a temporary name and renamed, so a process starting meanwhile reads a whole file.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The entry points, relative to the repository root: api, worker, simulator, CLI and the migration command.
 * @internal exported for the infra tests, which check that the image, compose and Kubernetes run these.
 */
export const ENTRIES = [
  'apps/api/src/server.ts',
  'apps/worker/src/main.ts',
  'apps/exact-sim/src/main.ts',
  'apps/cli/src/main.ts',
  'packages/db/src/migrate.cli.ts',
] as const;

/**
 * Where the build puts an entry point: `apps/api/src/server.ts` → `apps/api/dist/server.js`.
 * @internal exported for the infra tests
 */
export const builtPath = (entry: string): string => entry.replace(/\/src\/(.*)\.ts$/, '/dist/$1.js');

/**
 * Files read at run time relative to a module, by module: folders, with what need not ship (drizzle-kit's
 * snapshots are for generating the next migration; the migrator reads the journal and the SQL).
 */
const ASSETS: Record<string, { dir: string; skip?: RegExp }[]> = {
  'packages/exact/src/governor-commands.ts': [{ dir: 'packages/exact/src/governor' }],
  'packages/db/src/migrate.ts': [{ dir: 'packages/db/drizzle', skip: /_snapshot\.json$/ }],
};

const WORKSPACE = /^@exact-sync\//;
const BUILTIN = new Set(builtinModules);
const packageName = (specifier: string): string =>
  specifier.split('/', specifier.startsWith('@') ? 2 : 1).join('/');

/**
 * Bundles the workspace, keeps the package's own dependencies external, maps `import.meta.url` to the assets.
 * Third-party imports the package does not list go to `missing` (name → an importer).
 */
function workspacePlugin(dependencies: Set<string>, missing: Map<string, string>): Plugin {
  return {
    name: 'exact-sync-workspace',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') || BUILTIN.has(args.path)) return { external: true };
        if (WORKSPACE.test(args.path)) return undefined;
        const name = packageName(args.path);
        if (!dependencies.has(name) && !missing.has(name)) missing.set(name, relative(root, args.importer));
        return { external: true };
      });
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const contents = await readFile(args.path, 'utf8');
        const module = relative(root, args.path);
        if (/import\.meta\.(dirname|filename)/.test(contents))
          return { errors: [{ text: `${module}: use new URL(path, import.meta.url), which ASSETS maps` }] };
        if (!contents.includes('import.meta.url')) return undefined;
        if (!ASSETS[module])
          return { errors: [{ text: `${module} uses import.meta.url: list the files it reads in ASSETS` }] };
        const here = `new URL(${JSON.stringify(`./assets/${module}`)}, import.meta.url).href`;
        return { contents: contents.replaceAll('import.meta.url', here), loader: 'ts' };
      });
    },
  };
}

async function writeWhole(path: string, contents: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Builds one entry point; answers the files written (absolute paths). */
async function buildEntry(entry: string): Promise<string[]> {
  const packageDir = entry.slice(0, entry.indexOf('/src/'));
  const manifest = JSON.parse(await readFile(join(root, packageDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const dependencies = new Set(
    Object.entries(manifest.dependencies ?? {})
      .filter(([, version]) => !version.startsWith('workspace:'))
      .map(([name]) => name),
  );
  const missing = new Map<string, string>();
  const outfile = join(root, builtPath(entry));
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Stack traces name the TypeScript files and lines (node --enable-source-maps); the sources need not ship.
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'warning',
    plugins: [workspacePlugin(dependencies, missing)],
  });
  if (missing.size > 0) {
    const list = [...missing].map(([name, importer]) => `  ${name} (imported by ${importer})`).join('\n');
    throw new Error(
      `${packageDir}/dist loads its third-party packages from ${packageDir}/node_modules, so ${packageDir}/package.json must list them in dependencies; missing:\n${list}`,
    );
  }
  const written: string[] = [];
  for (const file of result.outputFiles) {
    await writeWhole(file.path, file.contents);
    written.push(file.path);
  }
  const assetsDir = join(dirname(outfile), 'assets');
  for (const module of Object.keys(result.metafile.inputs)) {
    for (const { dir, skip } of ASSETS[module] ?? []) {
      for (const source of await filesUnder(join(root, dir))) {
        if (skip?.test(source)) continue;
        const target = join(assetsDir, relative(root, source));
        await writeWhole(target, await readFile(source));
        written.push(target);
      }
    }
  }
  return written;
}

/**
 * Builds every entry point, then removes what an earlier build left in the dist/ folders and this one did not
 * write (files of another build running at the same time, still temporary, are left alone).
 */
export async function buildAll(): Promise<{ entry: string; bytes: number }[]> {
  const results = await Promise.allSettled(ENTRIES.map(buildEntry));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (failed.length > 0) throw new AggregateError(failed, 'the build failed');
  const written = new Set(results.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])));
  const distDirs = new Set(ENTRIES.map((entry) => dirname(join(root, builtPath(entry)))));
  for (const dir of distDirs) {
    for (const file of await filesUnder(dir)) {
      if (!written.has(file) && !file.endsWith('.tmp')) await rm(file, { force: true });
    }
  }
  return Promise.all(
    ENTRIES.map(async (entry) => ({
      entry: builtPath(entry),
      bytes: (await readFile(join(root, builtPath(entry)))).byteLength,
    })),
  );
}
