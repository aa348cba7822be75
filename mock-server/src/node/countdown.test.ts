import { describe, expect, it } from 'vitest';
import { Countdown } from './countdown.ts';

/** Whether `promise` has settled once every queued microtask has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('Countdown', () => {
  it('is idle at once when nothing was started', async () => {
    expect(await settled(new Countdown().idle())).toBe(true);
  });

  it('resolves every waiter once the last task ends, not before', async () => {
    const tasks = new Countdown();
    tasks.start();
    tasks.start();
    const first = tasks.idle();
    const second = tasks.idle();
    tasks.end();
    expect(await settled(first)).toBe(false);
    tasks.end();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(true);
    expect(tasks.count).toBe(0);
  });

  it('counts a failed task as ended and passes its error on', async () => {
    const tasks = new Countdown();
    tasks.start();
    const idle = tasks.idle();
    const failure = new Error('a bug');
    const outcome = Promise.reject(failure).then(tasks.end, tasks.fail);
    await expect(outcome).rejects.toBe(failure);
    expect(await settled(idle)).toBe(true);
  });

  it('waits again for tasks started after an idle moment', async () => {
    const tasks = new Countdown();
    tasks.start();
    tasks.end();
    tasks.start();
    const idle = tasks.idle();
    expect(await settled(idle)).toBe(false);
    tasks.end();
    expect(await settled(idle)).toBe(true);
  });
});
