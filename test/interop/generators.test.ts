/**
 * Interop with the generators other teams use: clients generated from the bundled descriptions by
 * @hey-api/openapi-ts, orval and kubb type-check under `strict`, keep the contract's literal types, and,
 * set up as CONTRIBUTING.md's "Other generators and linters" section says, send each MVO call to its published host
 * (create to `api.`, the rest to `app-api.`) and work against our mock.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { GENERATORS, generateClients } from './generate-clients.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const realFetch = globalThis.fetch;

let mock: MockServer;
let apiKey: string;

beforeAll(async () => {
  [mock] = await Promise.all([startMockServer({ api: 'mvo', port: 0 }), generateClients()]);
  const minted = await realFetch(`${mock.url}/__mock/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"name":"interop"}',
  });
  apiKey = (await minted.json()).key;
}, 120_000);
afterAll(async () => {
  await mock?.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

it('every generated client, and the code using it, type-checks under strict', async () => {
  const result = await run(`${ROOT}node_modules/.bin/tsc`, ['-p', 'test/interop/tsconfig.json', '--pretty', 'false'], {
    cwd: ROOT,
  }).catch((error) => error);
  expect(result.stdout).toBe('');
  expect(result.code ?? 0).toBe(0);
}, 120_000);

describe.each(GENERATORS)('%s', (generator) => {
  it('with the README set-up, sends create to api. and get, update, delete to app-api., and works against the mock', async () => {
    const calls: string[] = [];
    // The published hosts, recorded, then answered by the local mock (which serves both hosts' paths).
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      calls.push(`${request.method} ${url.host}${url.pathname.replace(UUID, '{id}')}`);
      const body = ['GET', 'DELETE'].includes(request.method) ? undefined : await request.text();
      return realFetch(`${mock.url}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        body,
      });
    });
    const { customerLifecycle } = await import(`./clients/${generator}.ts`);
    const customer = await customerLifecycle(apiKey, `${generator}@example.com`);
    expect(customer).toMatchObject({ first_name: 'Ada', language: 'en', email: `${generator}@example.com` });
    expect(calls).toEqual([
      'POST api.my-virtual-office.com/api/customers',
      'GET app-api.my-virtual-office.com/api/customers/{id}',
      'PATCH app-api.my-virtual-office.com/api/customers/{id}',
      'DELETE app-api.my-virtual-office.com/api/customers/{id}',
    ]);
  });
});
