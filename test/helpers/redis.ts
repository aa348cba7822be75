/**
 * A private redis-server for a test file (Debian's `redis-server`, installed by .ci/run): a free port on
 * 127.0.0.1, its files in a temporary folder, the append-only file on (as a sandbox's Redis should run, so a
 * restart keeps what was acknowledged). Stopped by its PID, never by name: other engineers' servers run too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../../scripts/free-port.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface RedisProcess {
  url: string;
  port: number;
  /** Its files (the append-only file is under `appendonlydir/`). */
  dir: string;
  readonly pid: number;
  /** SIGKILL, then waits for the exit: nothing is saved beyond what the append-only file already holds. */
  kill(): Promise<void>;
  /** Starts it again on the same port and files. */
  start(): Promise<void>;
  /** Stops it and deletes its files. */
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** `always` (tests: a kill loses nothing acknowledged) or `everysec` (Redis's default, the bench). */
  appendfsync?: 'always' | 'everysec';
  /** Pin it to this core (`taskset`, the bench). */
  core?: string;
}

/** Resolves once the server says it accepts connections; rejects with its output when it exits first. */
function launch(port: number, dir: string, options: RedisOptions): Promise<ChildProcess> {
  const command = [
    'redis-server',
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    options.appendfsync ?? 'always',
    '--dir',
    dir,
  ];
  const [file, ...args] = options.core ? ['taskset', '-c', options.core, ...command] : command;
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve(child);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisProcess> {
  mkdirSync(`${ROOT}.tmp`, { recursive: true });
  const dir = mkdtempSync(`${ROOT}.tmp/redis-`);
  const port = await freePort();
  let child = await launch(port, dir, options);
  const kill = async () => {
    process.kill(child.pid!, 'SIGKILL');
    await exited(child);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child.pid!;
    },
    kill,
    async start() {
      child = await launch(port, dir, options);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
