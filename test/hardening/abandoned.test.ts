/**
 * A request its client abandons while the mock holds it (its latency) takes nothing: a forced scenario's `count`
 * is left for the next request, over a real socket (Node) and through MSW's request signal alike. The test waits
 * on the mock receiving the request (a spy on `handle`), never on a time budget.
 */
import { describe, expect, it, vi } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { useNodeAndMsw } from '../helpers/mock.ts';

const KEY = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
/** The longest latency (60 s), longer than the test: only an abandonment ends this wait. */
const HELD = { ...KEY, 'x-mock-latency': '60000' };

const { targets } = useNodeAndMsw('tvm', 'http://tvm.abandoned.test');

describe.each(targets)('$name: a request abandoned during its latency', ({ base, mock, fetch }) => {
  it('consumes no forced scenario; the next request gets it', async () => {
    const send = (path: string, init: RequestInit = {}) => fetch()(base() + path, init);
    await send('/__mock/scenarios', { method: 'DELETE' });
    const created = await send('/__mock/scenarios', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 503, count: 1, path: '/v1/shop' }),
    });
    expect(created.status).toBe(201);

    const target = await mock();
    const handle = vi.spyOn(target, 'handle');
    const client = new AbortController();
    const abandoned = send('/v1/shop', { headers: HELD, signal: client.signal }).catch((error: unknown) => error);
    // 25 s is a hang guard (the test's own limit), not a budget: the request arrives within milliseconds.
    await vi.waitFor(() => expect(handle.mock.calls.some(([request]) => request.path === '/v1/shop')).toBe(true), {
      timeout: 25_000,
      interval: 5,
    });
    client.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    // The held request ends as soon as its client is gone (not after 600 s), answering nothing.
    const held = handle.mock.results.find((_result, index) => handle.mock.calls[index][0].path === '/v1/shop')!;
    expect((await held.value).status).toBe(0);
    handle.mockRestore();

    const scenarios = await (await send('/__mock/scenarios')).json();
    expect(scenarios.scenarios).toEqual([expect.objectContaining({ served: 0, remaining: 1 })]);
    expect((await send('/v1/shop', { headers: KEY })).status).toBe(503);
    expect((await send('/v1/shop', { headers: KEY })).status).toBe(200);
  });
});
