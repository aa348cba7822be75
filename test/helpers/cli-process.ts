/**
 * The mock CLI in a child process, for suites that restart it, kill it (SIGKILL) or run two at once: one API on
 * a free port, stopped by its PID after each test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface StartedCli {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it printed so far (stdout and stderr). */
  output(): string;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

/** Runs the CLI (one API, a free port) and resolves once it listens, or rejects with what it printed when it exits. */
export function startCli(args: string[], api: 'mvo' | 'tvm' = 'tvm', env: Record<string, string> = {}): Promise<StartedCli> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock-server/src/cli.ts', '--api', api, `--${api}-port`, '0', '--quiet', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  running.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let output = '';
  const listening = new RegExp(`${api.toUpperCase()} mock listening on (http://[^\\s]+) `);
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = listening.exec(output)?.[1];
      if (url) resolve({ child, url, exited, output: () => output });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(({ code }) => reject(Object.assign(new Error(`exited with ${code}: ${output}`), { code, output })));
  });
}

/** Runs the CLI expecting it to refuse to start: its exit code and what it printed. */
export async function refusedStart(args: string[], api: 'mvo' | 'tvm' = 'tvm'): Promise<{ code: number; output: string }> {
  try {
    const started = await startCli(args, api);
    throw new Error(`started on ${started.url}`);
  } catch (error) {
    return error as { code: number; output: string };
  }
}
