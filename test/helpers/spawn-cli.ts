/** The mock CLI (from source, through tsx) in a child process, resolved once every API it serves listens. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ApiName } from '../../mock-server/src/model/index.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface CliProcess {
  child: ChildProcess;
  /** Each served API's URL, as its banner printed it. */
  urls: Partial<Record<ApiName, string>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it printed so far (stdout and stderr). */
  output(): string;
}

/**
 * Runs `virtual-commerce-mock <args>` (quiet, each API in `apis` on a free port) and resolves once all of them
 * listen, or rejects with what it printed (and `code`) when it exits first. `running` gets the child, for the
 * caller to kill by PID.
 */
export function spawnCli(
  args: string[],
  apis: readonly ApiName[],
  env: Record<string, string>,
  running: Set<ChildProcess>,
): Promise<CliProcess> {
  const ports = apis.flatMap((api) => [`--${api}-port`, '0']);
  const only = apis.length === 1 ? ['--api', apis[0]] : [];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'mock-server/src/cli.ts', ...only, ...ports, '--quiet', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  );
  running.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const urls = Object.fromEntries(
        apis.map((api) => [
          api,
          new RegExp(`${api.toUpperCase()} mock listening on (http://[^\\s]+) `).exec(output)?.[1],
        ]),
      );
      if (apis.every((api) => urls[api])) resolve({ child, urls, exited, output: () => output });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(({ code }) =>
      reject(Object.assign(new Error(`exited with ${code}: ${output}`), { code, output })),
    );
  });
}
