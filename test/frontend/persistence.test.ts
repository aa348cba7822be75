/**
 * State that survives a restart (`--state-file`) and seed files (`--seed`), through the real CLI in a child
 * process: killed with SIGKILL right after the last answer (every acknowledged change is already on disk) and
 * with SIGTERM (the whole state written on the way out), then started again on the same file. A file that
 * cannot be used stops the start and is left as it is. Crashes under load, locks and failing disks:
 * durable-state.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { refusedStart, startCli } from '../helpers/cli-process.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
mkdirSync(`${ROOT}.tmp`, { recursive: true });
const WORK = mkdtempSync(`${ROOT}.tmp/persistence-`);
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: r.status === 204 ? undefined : await r.json() }));

describe('--state-file', () => {
  const file = `${WORK}/state.json`;

  it('keeps minted keys, created items and review decisions across a SIGKILL and a SIGTERM', async () => {
    const first = await startCli(['--state-file', file]);
    const minted = (await post(`${first.url}/__mock/keys`, { name: 'Survivor', account: 'acme' })).json;
    const auth = { authorization: `Bearer ${minted.key}` };
    const offer = (await post(`${first.url}/v1/offers`, { title: 'Still here' }, auth)).json.data;
    await post(`${first.url}/__mock/review`, { id: offer.id, decision: 'approve' });
    // Killed right after the last answer: what was acknowledged is on disk already.
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await startCli(['--state-file', file]);
    const read = await fetch(`${second.url}/v1/offers/${offer.id}`, { headers: auth });
    expect([read.status, (await read.json()).data.status]).toEqual([200, 'active']);
    // A change, then SIGTERM at once: saved on the way out, not lost with the pending save.
    const voucher = (await post(`${second.url}/v1/vouchers`, { code: 'late10' }, auth)).json.data;
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const third = await startCli(['--state-file', file]);
    expect((await fetch(`${third.url}/v1/vouchers/${voucher.id}`, { headers: auth })).status).toBe(200);
    expect(
      (
        await fetch(`${third.url}/v1/shop`, {
          headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
        })
      ).status,
    ).toBe(200);
    third.child.kill('SIGINT');
    expect((await third.exited).code).toBe(0);
    // Stopped cleanly: one document, no log, no lock, no temporary file; no key whole.
    expect(readdirSync(WORK).filter((name) => name.startsWith('state.json'))).toEqual(['state.json']);
    expect(readFileSync(file, 'utf8')).not.toContain(minted.key);
  });

  it.each([
    ['is not JSON', '{"tvm": {', /--state-file .*state-bad\.json is not JSON \(.*\); it is left as it is/],
    [
      'is a wrong document',
      '{"tvm": {"api": "tvm", "keys": [{"name": "x"}]}}',
      /--state-file .*state-bad\.json: the TVM document is wrong: keys\/0 must have either key .* the file is left as it is/,
    ],
    ['holds something else', '{"widgets": []}', /must be one state document .* it has widgets; it is left as it is/],
    [
      'holds a record nested deeper than the API allows (it could never be saved again)',
      `{"tvm": {"api": "tvm", "accounts": {"default": {"offers": [{"id": "offer_deep001", "slug": "deep", "title": "Deep", "status": "active", "shop": {"id": "shop_abc123", "slug": "example-store", "name": "Example Store"}, "createdAt": "2026-01-01T00:00:00.000Z", "extra": ${'['.repeat(5_000)}${']'.repeat(5_000)}}]}}}}`,
      /the TVM document is wrong: accounts\/default\/offers\/0\/extra(\/0){31} must NOT be nested more than 32 levels deep.* the file is left as it is/,
    ],
  ])('stops the start with a clear message when the file %s, and never writes it', async (_label, content, message) => {
    const bad = `${WORK}/state-bad.json`;
    writeFileSync(bad, content);
    const { code, output } = await refusedStart(['--state-file', bad]);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expect(readFileSync(bad, 'utf8')).toBe(content);
  });

  it('stops the start when the path cannot be read (a directory)', async () => {
    const { code, output } = await refusedStart(['--state-file', WORK]);
    expect([code, output]).toEqual([
      2,
      expect.stringMatching(/--state-file .* cannot be read \(EISDIR\); it is left as it is/),
    ]);
  });
});

describe('--seed', () => {
  it('loads a document whose development key is listed whole; the key is hashed, never shown', async () => {
    const devKey = `tvm_${'seeded'.padEnd(32, '5')}`;
    const seed = `${WORK}/seed.json`;
    writeFileSync(seed, JSON.stringify({ api: 'tvm', keys: [{ id: 'key_dev', name: 'Dev', key: devKey }] }));
    const started = await startCli(['--seed', seed]);
    expect((await fetch(`${started.url}/v1/shop`, { headers: { authorization: `Bearer ${devKey}` } })).status).toBe(
      200,
    );
    const exported = await (await fetch(`${started.url}/__mock/state`)).text();
    expect(exported).not.toContain(devKey);
    expect(JSON.parse(exported).keys).toEqual([
      expect.objectContaining({ id: 'key_dev', digest: createHash('sha256').update(devKey).digest('hex') }),
    ]);
  });

  it('refuses a wrong seed, naming the file and the problem', async () => {
    const seed = `${WORK}/seed-bad.json`;
    writeFileSync(seed, JSON.stringify({ api: 'tvm', keys: [{ name: 'Dev', key: 'tvm_tooshort' }] }));
    const { code, output } = await refusedStart(['--seed', seed]);
    expect(code).toBe(2);
    expect(output).toContain(
      'TVM mock: the --seed document is wrong: keys/0/key is not a The Virtual Mall API key (tvm_ followed by 32 characters)',
    );
    const missing = await refusedStart(['--seed', `${WORK}/nowhere.json`]);
    expect(missing.output).toMatch(/--seed .*nowhere\.json cannot be read \(ENOENT\)/);
  });
});
