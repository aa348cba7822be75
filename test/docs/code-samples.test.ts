/**
 * The code samples the docs show: every operation of the generated descriptions carries a curl and an SDK
 * TypeScript `x-codeSample` derived from the spec (scripts/code-samples.ts), and every curl sample, run as
 * written by the shell against the mock server (host and placeholder key swapped for the mock's), gets the
 * operation's documented success status.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { addCodeSamples, PLACEHOLDER_KEYS, type SampleApi } from '../../scripts/code-samples.ts';

type Json = Record<string, any>;
type Operation = { method: string; path: string; operationId: string; op: Json; item: Json };

const ROOT = new URL('../..', import.meta.url).pathname;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const run = promisify(execFile);

const load = (api: SampleApi): Json => parse(readFileSync(join(ROOT, `openapi/generated/${api}.yaml`), 'utf8'));

function operationsOf(doc: Json): Operation[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ method: method.toUpperCase(), path, operationId: item[method].operationId, op: item[method], item })),
  );
}

const samplesOf = (op: Json, lang: string) => ((op['x-codeSamples'] ?? []) as Json[]).filter((sample) => sample.lang === lang);
const successStatus = (op: Json) => Number(Object.keys(op.responses).find((status) => /^2\d\d$/.test(status)));
const documentedServer = (doc: Json, { op, item }: Operation) => (op.servers ?? item.servers ?? doc.servers)[0].url;

describe.each(['mvo', 'tvm'] as const)('%s: x-codeSamples in openapi/generated', (api) => {
  const doc = load(api);
  const operations = operationsOf(doc);
  const sdk = { mvo: ['createMvoClient', 'virtual-commerce-sdk/mvo'], tvm: ['createTvmClient', 'virtual-commerce-sdk/tvm'] }[api];

  it('the API has operations', () => expect(operations.length).toBeGreaterThan(0));

  it.each(operations.map((operation) => [operation.operationId, operation] as const))('%s has a curl and a TypeScript sample', (_, operation) => {
    const [curl] = samplesOf(operation.op, 'curl');
    const [typescript] = samplesOf(operation.op, 'TypeScript');
    expect(curl, 'curl sample').toBeDefined();
    expect(typescript, 'TypeScript sample').toBeDefined();

    // curl: the method, the operation's documented host and path, the API's placeholder key in its header.
    expect(curl.source).toMatch(new RegExp(`^curl -X ${operation.method} '${documentedServer(doc, operation).replaceAll('.', '\\.')}${operation.path.replace(/\{[^}]+\}/g, '[^/?\']+')}[?']`, 'm'));
    expect(curl.source).toContain(api === 'mvo' ? `-H 'X-API-Key: ${PLACEHOLDER_KEYS.mvo}'` : `-H 'Authorization: Bearer ${PLACEHOLDER_KEYS.tvm}'`);
    if (operation.op.requestBody) expect(curl.source).toContain(`-H 'Content-Type: application/json'`);

    // TypeScript: the SDK's factory and the operation's resource method (tag → group, operationId's verb → name).
    const group = operation.op.tags[0].replace(/^./, (c: string) => c.toLowerCase());
    const verb = /^[a-z]+/.exec(operation.operationId)![0];
    expect(typescript.source).toContain(`import { ${sdk[0]} } from '${sdk[1]}';`);
    expect(typescript.source).toContain(`const client = ${sdk[0]}();`);
    expect(typescript.source).toContain(`const data = await client.${group}.${verb}(`);
    if (operation.path.includes('{')) expect(typescript.source).toMatch(new RegExp(`\\.${verb}\\('[^']+'`));
    if (operation.op.requestBody) expect(typescript.source).toMatch(/\(('[^']+', )?\{\n/);
  });

  it('the committed samples are what scripts/code-samples.ts derives from the spec', () => {
    const rederived = load(api);
    addCodeSamples(api, rederived);
    expect(operationsOf(rederived).map(({ op }) => op['x-codeSamples'])).toEqual(operations.map(({ op }) => op['x-codeSamples']));
  });
});

describe('mock: x-codeSamples in openapi/generated', () => {
  const operations = operationsOf(load('mock'));
  // The control API's examples are TVM's (scopes, key ids), so its first server is the TVM mock.
  const origin = load('mock').servers[0].url;
  it('targets the TVM mock', () => expect(origin).toBe('http://127.0.0.1:4011'));
  it.each(operations.map((operation) => [operation.operationId, operation] as const))('%s has a curl sample only (no SDK)', (_, operation) => {
    expect(samplesOf(operation.op, 'curl')).toHaveLength(1);
    expect(samplesOf(operation.op, 'TypeScript')).toHaveLength(0);
    expect(samplesOf(operation.op, 'curl')[0].source).toMatch(new RegExp(`^curl -X ${operation.method} '${origin.replaceAll('.', '\\.')}/__mock/`, 'm'));
  });
});

/** Creates first, then reads and updates, deletes last: a sample never needs what an earlier one removed. */
const RUN_ORDER: Record<string, number> = { POST: 0, GET: 1, PUT: 1, PATCH: 1, DELETE: 2 };

describe.each(['mvo', 'tvm'] as const)('%s: every curl sample, run against the mock, gets the documented success status', (api) => {
  const operations = [...operationsOf(load(api))].sort((a, b) => RUN_ORDER[a.method] - RUN_ORDER[b.method]);
  /** Ids of resources the create samples made, by collection path (`/v1/offers` → `offer_…`). */
  const created = new Map<string, string>();
  let mock: MockServer;
  let key: string;

  beforeAll(async () => {
    mock = await startMockServer({ api, port: 0, rateLimits: 'headers', log: () => {} });
    const minted = await fetch(`${mock.url}/__mock/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(api === 'tvm' ? { name: 'docs', scopes: ['*'] } : { name: 'docs' }),
    });
    expect(minted.status).toBe(201);
    key = ((await minted.json()) as { key: string }).key;
  });

  afterAll(async () => {
    await mock?.close();
  });

  it.each(operations.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))('%s', async (_, operation) => {
    const [curl] = samplesOf(operation.op, 'curl');
    // The command runs as the docs show it; only the host, the key and (for /{id} paths) the example id change,
    // the id to one the create sample of the same collection just made.
    let command = curl.source.replace(/^(curl -X [A-Z]+ ')https:\/\/[^/']+/m, `$1${mock.url}`).replaceAll(PLACEHOLDER_KEYS[api]!, key);
    const item = /^(.*)\/\{[^}]+\}$/.exec(operation.path);
    if (item && created.has(item[1])) {
      command = command.replace(new RegExp(`^(curl -X [A-Z]+ '[^']*${item[1]}/)[^/?']+`, 'm'), `$1${created.get(item[1])}`);
    }
    expect(command).not.toBe(curl.source);
    const { stdout } = await run('bash', ['-c', `${command} -sS --max-time 10 -w '\\n%{http_code}'`]);
    const lines = stdout.trimEnd().split('\n');
    const status = Number(lines.pop());
    const body = lines.join('\n');
    expect(status, `${operation.operationId} answered ${body}`).toBe(successStatus(operation.op));
    if (operation.method === 'POST' && body) {
      const json = JSON.parse(body);
      const id = json.id ?? json.data?.id;
      if (typeof id === 'string') created.set(operation.path, id);
    }
  });
});
