/**
 * The mock CLI in a child process, for suites that restart it, kill it (SIGKILL) or run two at once: one API on
 * a free port, stopped by its PID after each test.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { spawnCli } from './spawn-cli.ts';

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
export async function startCli(
  args: string[],
  api: 'mvo' | 'tvm' = 'tvm',
  env: Record<string, string> = {},
): Promise<StartedCli> {
  const { child, urls, exited, output } = await spawnCli(args, [api], env, running);
  return { child, url: urls[api]!, exited, output };
}

/** Runs the CLI expecting it to refuse to start: its exit code and what it printed. */
export async function refusedStart(
  args: string[],
  api: 'mvo' | 'tvm' = 'tvm',
): Promise<{ code: number; output: string }> {
  try {
    const started = await startCli(args, api);
    throw new Error(`started on ${started.url}`);
  } catch (error) {
    return error as { code: number; output: string };
  }
}
