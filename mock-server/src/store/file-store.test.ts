/**
 * The durable file store in process: a failing append is refused (503) and reported once, retried until the
 * whole state is written again; compaction leaves one document and no log; replay is idempotent, so a crash
 * between writing the document and deleting its log loses and duplicates nothing.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FIXTURE_KEYS } from '../fixtures/keys.ts';
import { createMock, type Mock } from '../pipeline/pipeline.ts';
import { segmentPath } from './change-log.ts';
import { FileStore, type FileStoreOptions } from './file-store.ts';
import { Replay } from './replay.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
mkdirSync(`${ROOT}.tmp`, { recursive: true });
const WORK = mkdtempSync(`${ROOT}.tmp/file-store-`);
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const ADMIN = FIXTURE_KEYS.tvm.find((seed) => seed.id === 'key_tvm_admin')!.key!;

function send(mock: Mock, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` };
  return mock.handle({
    method,
    path,
    query: '',
    headers: (name) => headers[name],
    body: body === undefined ? '' : JSON.stringify(body),
  });
}

/** A TVM mock on a file store, started as the CLI starts it (recovered state imported, then the log opened). */
async function open(file: string, options: FileStoreOptions = {}) {
  const { store, recovered } = await FileStore.open(file, { log: () => {}, ...options });
  const mock = await createMock('tvm', { store, rateLimits: 'headers' });
  if (recovered?.tvm) await mock.importState(recovered.tvm);
  store.start([{ api: 'tvm', exportState: () => mock.exportState() }]);
  return { store, mock };
}

const offerIds = async (mock: Mock) =>
  JSON.parse((await send(mock, 'GET', '/v1/offers')).body!).data.items.map((item: { id: string }) => item.id);

describe('FileStore', () => {
  it('answers 503 when an append fails, reports it once and on GET /__mock/state, and recovers by writing everything', async () => {
    const file = `${WORK}/failing.json`;
    let full = false;
    const log = vi.fn();
    const write = (fd: number, text: string) => {
      if (full) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      writeSync(fd, text);
    };
    const { store, mock } = await open(file, { write, log, retryMs: 5 });
    expect((await send(mock, 'POST', '/v1/offers', { title: 'Saved' })).status).toBe(201);

    full = true;
    const refused = await send(mock, 'POST', '/v1/offers', { title: 'Not saved' });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body!)).toEqual({
      success: false,
      error: { code: expect.any(String), message: expect.stringContaining('ENOSPC') },
    });
    expect((await send(mock, 'POST', '/__mock/keys', { name: 'Refused too' })).status).toBe(503);
    expect((await send(mock, 'GET', '/__mock/state')).headers['x-mock-state-file']).toMatch(
      /^failing; appending to .* failed \(ENOSPC\)$/,
    );
    expect(log.mock.calls.filter(([line]) => String(line).includes('cannot save'))).toHaveLength(1);

    full = false; // the retry (a compaction) writes the whole state, then changes are taken again
    await vi.waitFor(() => expect(store.health()).toEqual({ ok: true }));
    expect(log).toHaveBeenLastCalledWith(`--state-file ${file}: saving again; the state on disk is complete`);
    expect((await send(mock, 'GET', '/__mock/state')).headers['x-mock-state-file']).toBe('ok');
    expect((await send(mock, 'POST', '/v1/offers', { title: 'Saved again' })).status).toBe(201);
    const before = await offerIds(mock);
    store.close();

    const reopened = await open(file);
    expect(await offerIds(reopened.mock)).toEqual(before);
    reopened.store.close();
  });

  it('compacts the log into the document on close: one file, no log, no lock', async () => {
    const file = `${WORK}/compact.json`;
    const { store, mock } = await open(file);
    expect((await send(mock, 'POST', '/v1/vouchers', { code: 'close10' })).status).toBe(201);
    store.close();
    expect(readdirSync(WORK).filter((name) => name.startsWith('compact.json'))).toEqual(['compact.json']);
    expect(readFileSync(file, 'utf8')).toContain('CLOSE10');
  });

  it('replays a segment the document already holds without changing it (a crash before the log was deleted)', async () => {
    const file = `${WORK}/twice.json`;
    const first = await open(file);
    await send(first.mock, 'POST', '/v1/offers', { title: 'Once' });
    const [id] = await offerIds(first.mock);
    await send(first.mock, 'DELETE', `/v1/offers/${(await offerIds(first.mock))[1]}`);
    await send(first.mock, 'PUT', `/v1/offers/${id}`, { title: 'Twice' });
    copyFileSync(segmentPath(file, 1), `${WORK}/segment.saved`);
    const expected = await offerIds(first.mock);
    first.store.close(); // the document now holds everything; put the old log back, as a crash would leave it
    copyFileSync(`${WORK}/segment.saved`, segmentPath(file, 1));
    const second = await open(file);
    expect(await offerIds(second.mock)).toEqual(expected);
    second.store.close();
  });

  it('keeps document + log exactly the state while requests change records during a compaction written in pieces', async () => {
    const file = `${WORK}/fuzzy.json`;
    // Every change asks for a compaction, written 64 characters at a time: requests run between the pieces.
    const { store, mock } = await open(file, { compactBytes: 1, chunkCharacters: 64 });
    for (let i = 0; i < 20; i++)
      expect((await send(mock, 'POST', '/v1/offers', { title: `Offer ${i}` })).status).toBe(201);
    const ids: string[] = await offerIds(mock);
    const offersNow = () => JSON.stringify((mock.exportState().accounts!.default as { offers: unknown[] }).offers);
    /** What a kill -9 would leave: the document and the log as they are at this instant (copied in one tick). */
    const images: { path: string; expected: string }[] = [];
    const crashImage = () => {
      const path = `${WORK}/fuzzy-image-${images.length}.json`;
      if (existsSync(file)) copyFileSync(file, path); // none until the first compaction ends: the log is all
      for (const name of readdirSync(WORK).filter((entry) => entry.startsWith('fuzzy.json.log.')))
        copyFileSync(`${WORK}/${name}`, `${WORK}/${name.replace('fuzzy.json', `fuzzy-image-${images.length}.json`)}`);
      images.push({ path, expected: offersNow() });
    };
    let compacted = 0;
    for (const [i, id] of ids.entries()) {
      expect(
        (
          await send(
            mock,
            i % 3 === 0 ? 'DELETE' : 'PUT',
            `/v1/offers/${id}`,
            i % 3 === 0 ? undefined : { title: `Changed ${i}` },
          )
        ).status,
      ).toBeLessThan(300);
      crashImage();
      // Let the compaction this change asked for start and write a few pieces before the next change.
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      // Halfway, wait for the first compaction to end if those turns were not enough (a loaded machine's disk can
      // be slower than five turns of the loop): the later images then hold a document and the segments after it.
      if (i === Math.floor(ids.length / 2) && !existsSync(file))
        await vi.waitFor(() => expect(existsSync(file), 'a compaction ended').toBe(true), {
          timeout: 20_000,
          interval: 5,
        });
      if (existsSync(file)) compacted++;
    }
    expect(compacted, 'compactions ran between the changes').toBeGreaterThan(0);
    store.close();
    for (const { path, expected } of images) {
      const reopened = await open(path);
      expect(
        JSON.stringify((reopened.mock.exportState().accounts!.default as { offers: unknown[] }).offers),
        path,
      ).toBe(expected);
      reopened.store.close();
    }
  });
});

describe('Replay', () => {
  it('sets, changes and removes records, keys and accounts by id, keeping the order records were made in', () => {
    const replay = new Replay({
      tvm: {
        api: 'tvm',
        keys: [{ id: 'k1', name: 'one' }],
        accounts: { default: { offers: [{ id: 'a' }, { id: 'b' }] } },
      },
    });
    replay.apply({ api: 'tvm', account: 'default', resource: 'offers', id: 'a', value: { id: 'a', title: 'changed' } });
    replay.apply({ api: 'tvm', account: 'default', resource: 'offers', id: 'b', value: null });
    replay.apply({ api: 'tvm', account: 'default', resource: 'offers', id: 'c', value: { id: 'c' } });
    replay.apply({ api: 'tvm', account: 'acme', data: { shop: { id: 'shop_1' }, offers: [] } });
    replay.apply({ api: 'tvm', account: 'acme', resource: 'shop', value: { id: 'shop_1', name: 'Acme' } });
    replay.apply({ api: 'tvm', key: { delete: 'k1' } });
    replay.apply({ api: 'tvm', key: { id: 'k2', name: 'two' } });
    replay.apply({ api: 'mvo', replace: { api: 'mvo', accounts: {} } });
    expect(replay.documents()).toEqual({
      tvm: {
        api: 'tvm',
        keys: [{ id: 'k2', name: 'two' }],
        accounts: {
          default: { offers: [{ id: 'a', title: 'changed' }, { id: 'c' }] },
          acme: { shop: { id: 'shop_1', name: 'Acme' }, offers: [] },
        },
      },
      mvo: { api: 'mvo', accounts: {} },
    });
  });
});
