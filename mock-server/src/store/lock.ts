/**
 * One process per state file: `<file>.lock`, made with `wx` (fails when it exists), holds the pid and host of
 * the process that keeps the file. A lock whose process is gone (killed with SIGKILL, the machine restarted) is
 * taken over; a live holder stops the start, named. Both mocks of one process share the file through one lock.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { StateFileError } from '../node/state-file.ts';

export interface FileLock {
  path: string;
  release(): void;
}

/** Whether a process with this pid runs on this machine (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM'; // it exists, it is someone else's
  }
}

/** `label` names the file in messages (`--state-file .mock/state.json`). */
export function acquireLock(file: string, label: string): FileLock {
  const path = `${file}.lock`;
  const me = `${process.pid} ${hostname()}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, me);
      } finally {
        closeSync(fd);
      }
      return { path, release: () => (readFileSync(path, 'utf8') === me ? rmSync(path, { force: true }) : undefined) };
    } catch (cause) {
      const error = cause as NodeJS.ErrnoException;
      if (error.code !== 'EEXIST')
        throw new StateFileError(`${label}: its folder cannot be written (${error.code ?? error.message})`);
      if (attempt > 0)
        throw new StateFileError(
          `${label}: its lock ${path} could not be taken over; remove it if no mock uses the file`,
        );
    }
    let holder = '';
    try {
      holder = readFileSync(path, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    const [pid, host] = holder.trim().split(' ');
    if (host === hostname() && !alive(Number(pid))) {
      rmSync(path, { force: true }); // left by a process that is gone
      continue;
    }
    throw new StateFileError(
      `${label} is in use by process ${pid} on ${host || 'an unknown host'} (lock ${path}); stop it, or give this mock another file`,
    );
  }
}
