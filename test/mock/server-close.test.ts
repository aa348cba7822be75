/**
 * `MockServer.close()` resolves only once every request under way has finished its handling, even one whose
 * client went away (its handling goes on: to the store, importing the lazily loaded validators), so nothing of
 * the server runs after a test's `afterAll`; and it never waits on what only a client would: a request held by
 * its latency, a `slow` or a `hang` fault end with their connection. The tests wait on what the server does
 * (a spy on `handle`, a store that holds a request), never on a time budget; the test's limit is a hang guard.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureKey, startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import type { StateStore } from '../../mock-server/src/store/store.ts';

const MVO = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };
const TVM = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };

/** Errors nothing caught, while the test runs: a handling that went on after close() must not raise any. */
const uncaught: unknown[] = [];
const collect = (error: unknown) => uncaught.push(error);
process.on('uncaughtException', collect);
process.on('unhandledRejection', collect);
afterEach(() => {
  expect(uncaught).toEqual([]);
});

/** Resolves once nothing listens on the port any more (a connection attempt is refused). */
async function stoppedListening(port: number): Promise<void> {
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A store that holds the first request after `hold()` until `release()`: a handling still under way. */
function holdingStore() {
  let holding: { entered: () => void; released: Promise<void> } | undefined;
  let release = () => {};
  const store: StateStore = {
    version: 0,
    record() {},
    async begin() {
      const held = holding;
      holding = undefined;
      if (held) {
        held.entered();
        await held.released;
      }
      return { end: async () => {} };
    },
  };
  return {
    store,
    /** Resolves when the next request reaches the store (and stays there). */
    hold(): Promise<void> {
      return new Promise<void>((entered) => {
        holding = { entered, released: new Promise<void>((resolve) => (release = resolve)) };
      });
    },
    release: () => release(),
  };
}

describe('MockServer.close()', () => {
  it('resolves only after a request its client abandoned has finished its handling', async () => {
    const { store, hold, release } = holdingStore();
    const lines: string[] = [];
    const events: string[] = [];
    const server = await startMockServer({
      api: 'mvo',
      port: 0,
      store,
      log: (line) => {
        lines.push(line);
        if (line.startsWith('POST /api/customers ')) events.push('handled');
      },
    });
    const held = hold();
    const client = new AbortController();
    // A body to validate: once let go, the handling imports the validators (unless the warm-up already did).
    const abandoned = fetch(`${server.url}/api/customers`, {
      method: 'POST',
      headers: { ...MVO, 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await held;
    client.abort();
    expect(await abandoned).toBeInstanceOf(Error);

    const closing = server.close().then(() => events.push('closed'));
    // Let the request go on once close() resolved (it must not have: the request is still held) or once the
    // server stopped listening, whichever comes first.
    await Promise.race([closing, stoppedListening(server.port)]);
    release();
    await closing;
    expect(events).toEqual(['handled', 'closed']);
    // The handling ran to its end, validation and the store's write included: an answer, not an error of the mock's.
    expect(lines).toEqual([expect.stringMatching(/^POST \/api\/customers 201 /)]);
  });

  describe('ends what only a client would wait for', () => {
    let server: MockServer;
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /** Sends a request and waits until the mock is handling it. */
    async function heldRequest(path: string, headers: Record<string, string>) {
      const handle = vi.spyOn(server.mock, 'handle');
      const response = fetch(server.url + path, { headers }).catch((error: unknown) => error);
      await vi.waitFor(() => expect(handle.mock.calls.some(([request]) => request.path === path)).toBe(true), {
        timeout: 25_000,
        interval: 5,
      });
      return { response, handle };
    }

    async function force(scenario: object) {
      const created = await fetch(`${server.url}/__mock/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(scenario),
      });
      expect(created.status).toBe(201);
    }

    it('a request held by its latency (60 s, longer than the test) ends, answering nothing', async () => {
      server = await startMockServer({ api: 'tvm', port: 0 });
      const { response, handle } = await heldRequest('/v1/shop', { ...TVM, 'x-mock-latency': '60000' });
      await server.close();
      expect(await response).toBeInstanceOf(Error);
      expect((await handle.mock.results[0].value).status).toBe(0);
    });

    it('a `hang` fault ends', async () => {
      server = await startMockServer({ api: 'tvm', port: 0 });
      await force({ fault: 'hang', path: '/v1/shop' });
      const { response } = await heldRequest('/v1/shop', TVM);
      await server.close();
      expect(await response).toBeInstanceOf(Error);
    });

    it('a `slow` fault (60 s) ends after its headers', async () => {
      server = await startMockServer({ api: 'tvm', port: 0 });
      await force({ fault: 'slow', delay: 60_000, path: '/v1/shop' });
      const response = await fetch(`${server.url}/v1/shop`, { headers: TVM });
      expect(response.status).toBe(200);
      await server.close();
      await expect(response.text()).rejects.toThrow();
    });
  });
});
