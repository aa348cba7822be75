/** What the benchmarks share: the load tool on this machine and a process's resident memory. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export { freePort } from '../scripts/free-port.ts';

/** wrk is steadier than autocannon (it runs outside Node); `wrk --version` exits 1 but exists. */
export const hasWrk = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as { status?: number }).status === 1;
  }
})();

/** Resident set size of a process, in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}
