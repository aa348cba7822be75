/**
 * The latency bench's open-loop generator (bench/open-loop-worker.mjs) measures what it claims: every answer is
 * counted whether it comes with Content-Length or chunked, and latency runs from each request's scheduled time, so
 * a server that stalls is charged for the requests it held up (coordinated omission), not just the one it stalled on.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { lateAllowance, MACHINE_LATE_LIMIT } from '../../bench/latency.ts';
import { keptSchedule, type OpenLoopFigures, runOpenLoop } from '../../bench/open-loop.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  server = createServer(handler);
  return new Promise((resolve) =>
    server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)),
  );
}

const request = {
  method: 'POST' as const,
  path: '/v1/offers',
  headers: { 'content-type': 'application/json' },
  body: '{"n":"{{n}}"}',
};

describe('the open-loop generator', () => {
  it('counts every answer, with Content-Length or chunked, and sends each request its own unique body', async () => {
    const bodies = new Set<string>();
    const port = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        bodies.add(body);
        if (bodies.size % 2) {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.write('{"part":1,');
          setImmediate(() => res.end('"part2":true}')); // chunked, in two writes
        } else {
          res.writeHead(400, { 'content-length': 2 }).end('{}');
        }
      });
    });
    const figures = await runOpenLoop(port, request, { rate: 200, seconds: 1, warmupSeconds: 0.5, connections: 4 });
    expect(figures.unanswered).toBe(0);
    expect(figures.socketErrors).toBe(0);
    expect(figures.answeredInWindow).toBe(figures.scheduledInWindow);
    expect(figures.statuses['201'] + figures.statuses['400']).toBe(300);
    expect(Math.abs(figures.statuses['201'] - figures.statuses['400'])).toBeLessThanOrEqual(1);
    expect(bodies.size).toBe(300);
  });

  it('charges a stall to every request scheduled during it, from its scheduled time', async () => {
    // One connection; the server holds the first answer after the warm-up for 300 ms. At 100 req/s about 30
    // requests fall due meanwhile: measured from their scheduled times they wait 300 down to 0 ms, so the
    // median of the window rises; a closed-loop client would have sent none of them and seen one slow answer.
    const stallMs = 300;
    let stalled = false;
    let started = 0;
    const port = await serve((req, res) => {
      req.resume();
      req.on('end', () => {
        started ||= performance.now();
        if (!stalled && performance.now() - started > 700) {
          stalled = true;
          setTimeout(() => res.end('late'), stallMs);
        } else {
          res.end('ok');
        }
      });
    });
    const figures = await runOpenLoop(port, request, { rate: 100, seconds: 1, warmupSeconds: 0.5, connections: 1 });
    expect(stalled).toBe(true);
    expect(figures.unanswered).toBe(0);
    expect(figures.maxMs).toBeGreaterThanOrEqual(stallMs);
    // About 30 of the ~100 measured requests waited behind the stall, so the 90th percentile is well above an unstalled answer.
    expect(figures.p90Ms).toBeGreaterThan(stallMs / 10);
  });
});

describe("a run's schedule check", () => {
  const run = (latePerMille: number, extra: Partial<OpenLoopFigures> = {}): OpenLoopFigures => ({
    ...({} as OpenLoopFigures),
    latePerMille,
    lateMaxMs: 3,
    unanswered: 0,
    socketErrors: 0,
    scheduledInWindow: 1000,
    answeredInWindow: 1000,
    ...extra,
  });

  it("allows a run the lateness raw's runs at the same rate showed, plus 1 ‰, within the machine's limit", () => {
    expect(lateAllowance([run(0.2), run(0.5)])).toBe(2); // at least 1 ‰, plus 1
    expect(lateAllowance([run(5.5), run(7.9), run(6)])).toBeCloseTo(8.9);
    expect(lateAllowance([run(400)])).toBe(MACHINE_LATE_LIMIT + 1);
    const allowance = lateAllowance([run(5.5), run(7.9)]);
    expect(keptSchedule(run(8.5), allowance).ok).toBe(true);
    expect(keptSchedule(run(9.2), allowance)).toEqual({ ok: false, why: expect.stringMatching(/9\.2 ‰/) });
    expect(keptSchedule(run(1.5)).ok).toBe(false); // alone, 1 ‰
  });

  it('refuses a run with unanswered requests or socket errors whatever its lateness', () => {
    expect(keptSchedule(run(0, { unanswered: 1 }), 10).why).toMatch(/1 unanswered/);
    expect(keptSchedule(run(0, { socketErrors: 2 }), 10).why).toMatch(/2 socket errors/);
    expect(keptSchedule(run(0, { answeredInWindow: 990 }), 10).why).toMatch(/990 of 1000/);
  });
});
