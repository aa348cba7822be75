/**
 * How the consumer tests run a script from a project on the other runtimes: Bun and Deno with their caches inside
 * the project (no update check, no colour), workerd on the script bundled as a Worker (`workerd test`). Each
 * returns what the script printed.
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { runtimeBinary } from '../../scripts/runtimes.ts';
import { sh, type Project } from './harness.ts';

/** `bun <script>` in the project. */
export function onBun(project: Project, script: string, env: NodeJS.ProcessEnv = {}): string {
  return sh(runtimeBinary('bun'), [script], project.dir, {
    ...process.env,
    ...env,
    BUN_INSTALL_CACHE_DIR: join(project.dir, '.bun-cache'),
  });
}

/** `deno <args>` in the project (the permissions are the caller's: they are what its test is about). */
export function onDeno(project: Project, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return sh(runtimeBinary('deno'), args, project.dir, {
    ...process.env,
    ...env,
    DENO_DIR: join(project.dir, '.deno'),
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
  });
}

export interface WorkerSetup {
  /** Outbound requests reach loopback only (without it the Worker has no network). */
  loopback?: boolean;
  /** Text bindings, as the Worker's `env`. */
  bindings?: Record<string, string>;
}

const bindings = (texts: Record<string, string>) =>
  Object.entries(texts)
    .map(([name, text]) => `(name = "${name}", text = ${JSON.stringify(text)})`)
    .join(', ');

/** Bundles `entry` (a file in the project) as a Worker the way a Workers build does, and runs it under `workerd test`. */
export async function onWorkerd(project: Project, entry: string, setup: WorkerSetup = {}): Promise<string> {
  const name = basename(entry, '.ts');
  const module = `${name}.mjs`;
  await build({
    entryPoints: [join(project.dir, entry)],
    absWorkingDir: project.dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    outfile: join(project.dir, module),
    logLevel: 'silent',
  });
  const lines = (items: string[]) => items.map((item) => `  ${item}\n`).join('');
  writeFileSync(
    join(project.dir, `${name}.capnp`),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
${setup.loopback ? '    (name = "loopback", network = (allow = ["local"])),\n' : ''}  ],
);
const worker :Workerd.Worker = (
${lines([
  `modules = [(name = "${module}", esModule = embed "${module}")],`,
  'compatibilityDate = "2025-09-01",',
  ...(setup.loopback ? ['globalOutbound = "loopback",'] : []),
  ...(setup.bindings ? [`bindings = [${bindings(setup.bindings)}],`] : []),
])});
`,
  );
  return sh(runtimeBinary('workerd'), ['test', `${name}.capnp`], project.dir);
}
