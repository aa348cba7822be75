import { describe, expect, it } from 'vitest';
import { monotonicMs } from './monotonic.ts';

describe('monotonicMs', () => {
  it('counts milliseconds as performance.now() does, never backwards', () => {
    const [ours, theirs] = [monotonicMs(), performance.now()];
    let before = ours;
    for (let i = 0; i < 1000; i++) {
      const now = monotonicMs();
      expect(now).toBeGreaterThanOrEqual(before);
      before = now;
    }
    // Both advance at the same rate: a busy wait of 5 ms by one clock is about 5 ms by the other.
    while (performance.now() - theirs < 5);
    expect(monotonicMs() - ours).toBeGreaterThanOrEqual(4.5);
    expect(monotonicMs() - ours).toBeLessThan(1000);
  });
});
