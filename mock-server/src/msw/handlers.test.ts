import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_KEYS } from '../fixtures/keys.ts';
import { startMockServer } from '../node/server.ts';
import { createMswMock, createTvmHandlers } from './handlers.ts';

const realFetch = globalThis.fetch; // the Node side never goes through MSW
/** A clock that fails: the pipeline reads it first thing, so every request fails inside the pipeline. */
const failingClock = (): Date => {
  throw new Error('boom');
};
const broken = createMswMock('tvm', { baseUrl: 'http://broken.test', now: failingClock });
const imported = createMswMock('mvo', { baseUrl: 'http://imported.test' });
const server = setupServer(
  ...broken.handlers,
  ...imported.handlers,
  ...createTvmHandlers({ baseUrl: 'http://lazy.test' }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('createMswMock', () => {
  it('returns handlers synchronously and one shared mock from ready()', async () => {
    expect(broken.handlers).toHaveLength(1);
    const [first, second] = await Promise.all([broken.ready(), broken.ready()]);
    expect(first).toBe(second);
    expect(first.api).toBe('tvm');
  });

  it('serves the state importState() loaded to the very next read, not a cached page (issue 23 item 8)', async () => {
    const mock = await imported.ready();
    const headers = { 'x-api-key': FIXTURE_KEYS.mvo.find((seed) => seed.id === 'key_mvo_active')!.key! };
    const [seeded] = mock.exportState().accounts!.default.customers as { id: string; email: string }[];
    const read = async () => (await fetch(`http://imported.test/api/customers/${seeded.id}`, { headers })).json();
    expect((await read()).email).toBe(seeded.email);
    const document = mock.exportState();
    (document.accounts!.default.customers as { email: string }[])[0].email = 'imported@example.com';
    await mock.importState(document);
    expect((await read()).email).toBe('imported@example.com');
  });

  it('creates the mock on the first request', async () => {
    const response = await fetch('http://lazy.test/v1/shop');
    expect(response.status).toBe(401);
  });

  it('answers a failure of the pipeline like the Node server: 500 in the API envelope', async () => {
    const node = await startMockServer({ api: 'tvm', port: 0, now: failingClock });
    try {
      const viaMsw = await fetch('http://broken.test/v1/shop');
      const viaNode = await realFetch(`${node.url}/v1/shop`);
      expect(viaMsw.status).toBe(500);
      expect(await viaMsw.json()).toEqual(await viaNode.json());
      expect(viaNode.status).toBe(500);
    } finally {
      await node.close();
    }
  });
});
