/**
 * The durable file store in process: a failing append is refused (503) and reported once, retried until the
 * whole state is written again; compaction leaves one document and no log; replay is idempotent, so a crash
 * between writing the document and deleting its log loses and duplicates nothing.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
  return mock.handle({ method, path, query: '', headers: (name) => headers[name], body: body === undefined ? '' : JSON.stringify(body) });
}

/** A TVM mock on a file store, started as the CLI starts it (recovered state imported, then the log opened). */
async function open(file: string, options: FileStoreOptions = {}) {
  const { store, recovered } = await FileStore.open(file, { log: () => {}, ...options });
  const mock = await createMock('tvm', { store, rateLimits: 'headers' });
  if (recovered?.tvm) await mock.importState(recovered.tvm);
  store.start([{ api: 'tvm', exportState: () => mock.exportState() }]);
  return { store, mock };
}

const offerIds = async (mock: Mock) => JSON.parse((await send(mock, 'GET', '/v1/offers')).body!).data.items.map((item: { id: string }) => item.id);

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
    expect(JSON.parse(refused.body!)).toEqual({ success: false, error: { code: expect.any(String), message: expect.stringContaining('ENOSPC') } });
    expect((await send(mock, 'POST', '/__mock/keys', { name: 'Refused too' })).status).toBe(503);
    expect((await send(mock, 'GET', '/__mock/state')).headers['x-mock-state-file']).toMatch(/^failing; appending to .* failed \(ENOSPC\)$/);
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
});

describe('Replay', () => {
  it('sets, changes and removes records, keys and accounts by id, keeping the order records were made in', () => {
    const replay = new Replay({ tvm: { api: 'tvm', keys: [{ id: 'k1', name: 'one' }], accounts: { default: { offers: [{ id: 'a' }, { id: 'b' }] } } } });
    replay.apply({ api: 'tvm', account: 'default', resource: 'offers', id: 'a', value: { id: 'a', title: 'changed' } });
    replay.apply({ api: 'tvm', account: 'default', resource: 'offers', id: 'b', value: null });
    replay.apply({ api: 'tvm', account: 'default', resource: 'offers', id: 'c', value: { id: 'c' } });
    replay.apply({ api: 'tvm', account: 'acme', data: { shop: { id: 'shop_1' }, offers: [] } });
    replay.apply({ api: 'tvm', account: 'acme', resource: 'shop', value: { id: 'shop_1', name: 'Acme' } });
    replay.apply({ api: 'tvm', key: { delete: 'k1' } });
    replay.apply({ api: 'tvm', key: { id: 'k2', name: 'two' } });
    replay.apply({ api: 'mvo', replace: { api: 'mvo', accounts: {} } });
    expect(replay.documents()).toEqual({
      tvm: { api: 'tvm', keys: [{ id: 'k2', name: 'two' }], accounts: { default: { offers: [{ id: 'a', title: 'changed' }, { id: 'c' }] }, acme: { shop: { id: 'shop_1', name: 'Acme' }, offers: [] } } },
      mvo: { api: 'mvo', accounts: {} },
    });
  });
});
