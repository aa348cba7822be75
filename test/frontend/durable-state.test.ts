/**
 * `--state-file` under the failures issue 24 lists, through the real CLI in child processes: a crash (SIGKILL)
 * right after the last of a few hundred concurrent creates was acknowledged, a second process on the same
 * file, a missing or unwritable folder, a reset, leftover temporary files and a log line cut short.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { refusedStart, startCli } from '../helpers/cli-process.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
mkdirSync(`${ROOT}.tmp`, { recursive: true });
const WORK = mkdtempSync(`${ROOT}.tmp/durable-`);
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const CREATES = 300;
const CONNECTIONS = 10;

/** How each API creates an item and reads it back, with a fixture key. */
const APIS = {
  mvo: {
    headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') },
    create: '/api/customers',
    body: (n: number) => ({ first_name: 'Crash', last_name: `Test ${n}`, email: `crash-${n}@example.com` }),
    idOf: (json: any) => json.id as string,
    read: (id: string) => `/api/customers/${id}`,
  },
  tvm: {
    headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
    create: '/v1/offers',
    body: (n: number) => ({ title: `Crash test ${n}` }),
    idOf: (json: any) => json.data.id as string,
    read: (id: string) => `/v1/offers/${id}`,
  },
} as const;

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('--state-file: every acknowledged change survives kill -9', () => {
  it.each(['mvo', 'tvm'] as const)(
    '%s: a few hundred creates over 10 connections, SIGKILL after the last 201, restart: every acknowledged id is there',
    async (api) => {
      const file = `${WORK}/crash-${api}.json`;
      const { headers, create, body, idOf, read } = APIS[api];
      const first = await startCli(['--state-file', file, '--rate-limits', 'off'], api);
      const acknowledged: string[] = [];
      let next = 0;
      // CONNECTIONS clients creating at once until CREATES were sent; an id counts once its 201 arrived.
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next < CREATES) {
            const response = await post(`${first.url}${create}`, body(next++), headers);
            expect(response.status).toBe(201);
            acknowledged.push(idOf(await response.json()));
          }
        }),
      );
      first.child.kill('SIGKILL'); // right after the last 201
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(acknowledged).toHaveLength(CREATES);

      const second = await startCli(['--state-file', file, '--rate-limits', 'off'], api);
      expect(second.output()).toContain(`state in ${file} (saving: each change on disk before its answer)`);
      const present = await Promise.all(
        acknowledged.map(async (id) => (await fetch(`${second.url}${read(id)}`, { headers })).status),
      );
      expect(present.filter((status) => status === 200)).toHaveLength(CREATES);
    },
  );
});

describe('--state-file --fsync', () => {
  it('says so in the banner and keeps what it acknowledged across kill -9 (MOCK_FSYNC=1 too)', async () => {
    const file = `${WORK}/fsync.json`;
    const first = await startCli(['--state-file', file, '--fsync']);
    expect(first.output()).toContain(`state in ${file} (saving: each change on disk before its answer, fsynced)`);
    const offer = await (await post(`${first.url}/v1/offers`, { title: 'Flushed' }, APIS.tvm.headers)).json();
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startCli(['--state-file', file], 'tvm', { MOCK_FSYNC: '1' });
    expect(second.output()).toContain('fsynced');
    expect((await fetch(`${second.url}/v1/offers/${offer.data.id}`, { headers: APIS.tvm.headers })).status).toBe(200);
  });
});

describe('--state-file: one process per file', () => {
  it('refuses a second process on the same file (any API), naming the holder; the first keeps serving', async () => {
    const file = `${WORK}/shared.json`;
    const first = await startCli(['--state-file', file], 'mvo');
    for (const api of ['mvo', 'tvm'] as const) {
      const { code, output } = await refusedStart(['--state-file', file], api);
      expect(code).toBe(2);
      expect(output.trim()).toBe(
        `virtual-commerce-mock: --state-file ${file} is in use by process ${first.child.pid} on ${(await import('node:os')).hostname()} (lock ${file}.lock); stop it, or give this mock another file`,
      );
    }
    expect((await fetch(`${first.url}/api/customers/none`, { headers: APIS.mvo.headers })).status).toBe(404);
  });

  it('takes over the lock of a process that was killed', async () => {
    const file = `${WORK}/taken-over.json`;
    const first = await startCli(['--state-file', file]);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(`${file}.lock`)).toBe(true);
    const second = await startCli(['--state-file', file]);
    expect((await fetch(`${second.url}/__mock/state`)).headers.get('x-mock-state-file')).toBe('ok');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('--state-file: where it is kept', () => {
  it('makes a missing folder (the README example .mock/state.json) and keeps minted keys there', async () => {
    const file = `${WORK}/missing/.mock/state.json`;
    const first = await startCli(['--state-file', file]);
    const minted = await (await post(`${first.url}/__mock/keys`, { name: 'Kept' })).json();
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startCli(['--state-file', file]);
    expect((await fetch(`${second.url}/v1/shop`, { headers: { authorization: `Bearer ${minted.key}` } })).status).toBe(
      200,
    );
  });

  it.each([
    ['a folder that cannot be made', '/sys/virtual-commerce-mock-test/state.json', 'its folder cannot be made'],
    ['a folder that cannot be written', '/sys/state.json', 'its folder cannot be written'],
  ])('stops the start with one line and exit 2 for %s', async (_label, file, message) => {
    const { code, output } = await refusedStart(['--state-file', file]);
    expect(code).toBe(2);
    expect(output.trim()).toMatch(
      new RegExp(`^virtual-commerce-mock: --state-file ${file}: ${message} \\(E[A-Z]+\\)$`),
    );
  });

  it('deletes temporary files a crash left behind', async () => {
    const file = `${WORK}/leftover.json`;
    writeFileSync(`${file}.4242.1.tmp`, '{"tvm": {"api": "tv');
    await startCli(['--state-file', file]);
    expect(readdirSync(WORK).filter((name) => name.startsWith('leftover.json') && name.endsWith('.tmp'))).toEqual([]);
  });

  it('starts past a last log line cut short by a crash, saying so, with every complete change', async () => {
    const file = `${WORK}/torn.json`;
    const first = await startCli(['--state-file', file]);
    const offer = await (await post(`${first.url}/v1/offers`, { title: 'Before the tear' }, APIS.tvm.headers)).json();
    first.child.kill('SIGKILL');
    await first.exited;
    const segment = readdirSync(WORK)
      .filter((name) => name.startsWith('torn.json.log.'))
      .sort()
      .at(-1)!;
    appendFileSync(`${WORK}/${segment}`, '{"api":"tvm","account":"default","resource":"offers","id":"offer_to');
    const second = await startCli(['--state-file', file]);
    expect(second.output()).toContain(
      `the last line of ${WORK}/${segment} was cut short by a crash; that change was never acknowledged and is left out`,
    );
    expect((await fetch(`${second.url}/v1/offers/${offer.data.id}`, { headers: APIS.tvm.headers })).status).toBe(200);
  });
});

describe('--state-file: POST /__mock/reset', () => {
  it('wipes the saved state too, and says so', async () => {
    const file = `${WORK}/reset.json`;
    const first = await startCli(['--state-file', file]);
    const offer = await (await post(`${first.url}/v1/offers`, { title: 'Wiped' }, APIS.tvm.headers)).json();
    const reset = await post(`${first.url}/__mock/reset`, undefined);
    expect([reset.status, reset.headers.get('x-mock-state-file')]).toEqual([204, 'wiped']);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startCli(['--state-file', file]);
    expect((await fetch(`${second.url}/v1/offers/${offer.data.id}`, { headers: APIS.tvm.headers })).status).toBe(404);
    expect((await fetch(`${second.url}/__mock/state`)).headers.get('x-mock-state-file')).toBe('ok');
  });
});
