/** Plain Prism (`prism mock`) on a bundled spec: the oracle our mock is compared with. */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../scripts/free-port.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface PrismHandle {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startPrism(specFile: string, timeoutMs = 30_000): Promise<PrismHandle> {
  const port = await freePort();
  const child = spawn(`${ROOT}node_modules/.bin/prism`, ['mock', '-h', '127.0.0.1', '-p', String(port), specFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
