/**
 * The code samples the docs show: every operation of the generated descriptions carries a curl and an SDK
 * TypeScript `x-codeSample` derived from the spec (scripts/code-samples.ts), and every curl sample, run as
 * written by the shell against the mock server (host and placeholder key swapped for the mock's), gets the
 * operation's documented success status: all of them in the order a reader goes (create, read and update, delete),
 * twice in a row on one mock, a delete sample given the id its create sample answered (`$CUSTOMER_ID`).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    METHODS.filter((method) => item[method]).map((method) => ({
      method: method.toUpperCase(),
      path,
      operationId: item[method].operationId,
      op: item[method],
      item,
    })),
  );
}

const samplesOf = (op: Json, lang: string) =>
  ((op['x-codeSamples'] ?? []) as Json[]).filter((sample) => sample.lang === lang);
const successStatus = (op: Json) => Number(Object.keys(op.responses).find((status) => /^2\d\d$/.test(status)));
const documentedServer = (doc: Json, { op, item }: Operation) => (op.servers ?? item.servers ?? doc.servers)[0].url;

describe.each(['mvo', 'tvm'] as const)('%s: x-codeSamples in openapi/generated', (api) => {
  const doc = load(api);
  const operations = operationsOf(doc);
  const sdk = {
    mvo: ['createMvoClient', 'virtual-commerce-sdk/mvo'],
    tvm: ['createTvmClient', 'virtual-commerce-sdk/tvm'],
  }[api];

  it('the API has operations', () => expect(operations.length).toBeGreaterThan(0));

  it.each(operations.map((operation) => [operation.operationId, operation] as const))(
    '%s has a curl and a TypeScript sample',
    (_, operation) => {
      const [curl] = samplesOf(operation.op, 'curl');
      const [typescript] = samplesOf(operation.op, 'TypeScript');
      expect(curl, 'curl sample').toBeDefined();
      expect(typescript, 'TypeScript sample').toBeDefined();

      // curl: the method, the operation's documented host and path, the API's placeholder key in its header.
      expect(curl.source).toMatch(
        new RegExp(
          `^curl -X ${operation.method} ['"]${documentedServer(doc, operation).replaceAll('.', '\\.')}${operation.path.replace(/\{[^}]+\}/g, '[^/?\'"]+')}[?'"]`,
          'm',
        ),
      );
      expect(curl.source).toContain(
        api === 'mvo'
          ? `-H 'X-API-Key: ${PLACEHOLDER_KEYS.mvo}'`
          : `-H 'Authorization: Bearer ${PLACEHOLDER_KEYS.tvm}'`,
      );
      if (operation.op.requestBody) expect(curl.source).toContain(`-H 'Content-Type: application/json'`);

      // TypeScript: the SDK's factory and the operation's resource method (tag → group, operationId's verb → name).
      // It says how it reaches a mock (the base URL's variable) and where the key comes from, and relies on the SDK's
      // errors and pagination, never a hand-made Error.
      const group = operation.op.tags[0].replace(/^./, (c: string) => c.toLowerCase());
      const verb = /^[a-z]+/.exec(operation.operationId)![0];
      const baseUrlVar = doc.info['x-base-url-env-var'];
      expect(typescript.source).toMatch(new RegExp(`^import \\{ ${sdk[0]} \\} from '${sdk[1]}';`));
      expect(typescript.source).toContain(`// ${baseUrlVar}: a mock to call instead of the real API`);
      expect(typescript.source).toContain(`the key: ${doc.info['x-api-key-env-var']}.`);
      expect(typescript.source).toContain(
        `const client = ${sdk[0]}(); // reads ${doc.info['x-api-key-env-var']} and ${baseUrlVar}`,
      );
      expect(typescript.source).toMatch(
        new RegExp(`(const data = await client|for await \\(const item of client)\\.${group}\\.${verb}\\(`),
      );
      expect(typescript.source).not.toContain('throw new Error');
      if (operation.path.includes('{'))
        expect(typescript.source).toMatch(new RegExp(`\\.${verb}\\(('[^']+'|process\\.env\\.[A-Z_]+!)`));
      if (operation.op.requestBody) expect(typescript.source).toMatch(/\((('[^']+'|process\.env\.[A-Z_]+!), )?\{\n/);
    },
  );

  it('the committed samples are what scripts/code-samples.ts derives from the spec', () => {
    const rederived = load(api);
    addCodeSamples(api, rederived);
    expect(operationsOf(rederived).map(({ op }) => op['x-codeSamples'])).toEqual(
      operations.map(({ op }) => op['x-codeSamples']),
    );
  });
});

describe('mock: x-codeSamples in openapi/generated', () => {
  const operations = operationsOf(load('mock'));
  // The control API's examples are TVM's (scopes, key ids), so its first server is the TVM mock.
  const origin = load('mock').servers[0].url;
  it('targets the TVM mock', () => expect(origin).toBe('http://127.0.0.1:4011'));
  it.each(operations.map((operation) => [operation.operationId, operation] as const))(
    '%s has a curl sample only (no SDK)',
    (_, operation) => {
      expect(samplesOf(operation.op, 'curl')).toHaveLength(1);
      expect(samplesOf(operation.op, 'TypeScript')).toHaveLength(0);
      expect(samplesOf(operation.op, 'curl')[0].source).toMatch(
        new RegExp(`^curl -X ${operation.method} ['"]${origin.replaceAll('.', '\\.')}/__mock/`, 'm'),
      );
    },
  );
});

/** Creates first, then reads and updates, deletes last: a sample never needs what an earlier one removed. */
const RUN_ORDER: Record<string, number> = { POST: 0, GET: 1, PUT: 1, PATCH: 1, DELETE: 2 };

/** A mock of `api` for the suite, and a key minted on it that may call everything (TVM: every scope). */
function useMockWithKey(api: 'mvo' | 'tvm'): { mock: MockServer; key: string } {
  const suite = {} as { mock: MockServer; key: string };
  beforeAll(async () => {
    suite.mock = await startMockServer({ api, port: 0, rateLimits: 'headers', log: () => {} });
    const minted = await fetch(`${suite.mock.url}/__mock/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(api === 'tvm' ? { name: 'docs', scopes: ['*'] } : { name: 'docs' }),
    });
    expect(minted.status).toBe(201);
    suite.key = ((await minted.json()) as { key: string }).key;
  });
  afterAll(async () => {
    await suite.mock?.close();
  });
  return suite;
}

/** Runs a curl command as a reader would (bash, with `env`), and gives the status it got and the body. */
async function runCurl(command: string, env: Record<string, string>): Promise<{ status: number; body: string }> {
  const { stdout } = await run('bash', ['-c', `${command} -sS --max-time 10 -w '\\n%{http_code}'`], {
    env: { ...process.env, ...env },
  });
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  return { status, body: lines.join('\n') };
}

describe.each(['mvo', 'tvm'] as const)(
  '%s: every curl sample, run against the mock twice in a row, gets the documented success status',
  (api) => {
    const operations = [...operationsOf(load(api))].sort((a, b) => RUN_ORDER[a.method] - RUN_ORDER[b.method]);
    /** Ids the create samples answered, by the variable a delete sample reads (`/v1/offers` → `OFFER_ID`). */
    const created: Record<string, string> = {};
    const suite = useMockWithKey(api);

    const rounds = [1, 2].flatMap((round) =>
      operations.map((operation) => [`round ${round}: ${operation.method} ${operation.path}`, operation] as const),
    );
    it.each(rounds)('%s', async (_, operation) => {
      const [curl] = samplesOf(operation.op, 'curl');
      // The command runs as the docs show it; only the host and the key change. A delete sample reads the id to
      // delete from its variable, set to what the create sample of its collection answered.
      const command = curl.source
        .replace(/^(curl -X [A-Z]+ ['"])https:\/\/[^/'"]+/m, `$1${suite.mock.url}`)
        .replaceAll(PLACEHOLDER_KEYS[api]!, suite.key);
      expect(command).not.toBe(curl.source);
      const variables = [...curl.source.matchAll(/^# ([A-Z_]+_ID): /gm)].map((match) => match[1]);
      for (const variable of variables)
        expect(created[variable], `no create sample answered ${variable}`).toBeDefined();
      const { status, body } = await runCurl(command, created);
      expect(status, `${operation.operationId} answered ${body}`).toBe(successStatus(operation.op));
      if (operation.method === 'POST' && body) {
        const json = JSON.parse(body);
        const id = json.id ?? json.data?.id;
        const noun = operation.path.split('/').at(-1)!.replace(/s$/, '').toUpperCase();
        if (typeof id === 'string') created[`${noun}_ID`] = id;
      }
    });
  },
);

/**
 * Every TypeScript sample, as written, against the mock: only the SDK's package name is pointed at the source and
 * the environment says where the mock is (`VIRTUAL_HUB_BASE_URL`, as each sample's comment says) and which key to use. All
 * samples of an API run in one Node process, in the reader's order, twice; a delete sample gets the id its create
 * sample printed.
 */
describe.each(['mvo', 'tvm'] as const)('%s: every TypeScript sample runs against the mock, twice in a row', (api) => {
  const suite = useMockWithKey(api);

  it('each sample finishes without an error, printing what it got', async () => {
    const doc = load(api);
    const operations = [...operationsOf(doc)].sort((a, b) => RUN_ORDER[a.method] - RUN_ORDER[b.method]);
    const work = join(ROOT, `.tmp/ts-samples-${api}/`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const files: { file: string; operationId: string; creates?: string; reads: string[] }[] = [];
    for (const round of [1, 2]) {
      for (const { op, method, path } of operations) {
        const [sample] = samplesOf(op, 'TypeScript');
        const source = sample.source.replace(/from 'virtual-commerce-sdk\/(\w+)'/, `from '${ROOT}sdk/src/$1/index.ts'`);
        const file = `${work}${round}-${op.operationId}.mts`;
        writeFileSync(file, source);
        const noun = path.split('/').at(-1)!.replace(/s$/, '').toUpperCase();
        files.push({
          file,
          operationId: op.operationId,
          creates: method === 'POST' ? `${noun}_ID` : undefined,
          reads: [...sample.source.matchAll(/process\.env\.([A-Z_]+_ID)!/g)].map((m: RegExpMatchArray) => m[1]),
        });
      }
    }
    // One process: each sample is imported in turn; what it prints is kept, so a create's id can feed a delete.
    const runner = `${work}run.mts`;
    writeFileSync(
      runner,
      [
        `const samples = ${JSON.stringify(files)};`,
        `const printed: unknown[] = [];`,
        `console.log = (value: unknown) => printed.push(value);`,
        `for (const sample of samples) {`,
        `  for (const variable of sample.reads) if (!process.env[variable]) throw new Error(sample.operationId + ': nothing set ' + variable);`,
        `  printed.length = 0;`,
        `  try { await import(sample.file); } catch (error) { process.stderr.write(sample.operationId + ' failed: ' + error + '\\n'); process.exit(1); }`,
        `  const data = printed[0] as any;`,
        `  if (sample.creates) process.env[sample.creates] = data?.id ?? data?.data?.id;`,
        `  process.stdout.write(sample.operationId + ' ok\\n');`,
        `}`,
      ].join('\n'),
    );
    const variable = doc.info['x-base-url-env-var'];
    const keyVariable = doc.info['x-api-key-env-var'];
    const { stdout } = await run(process.execPath, ['--import', 'tsx', runner], {
      env: { ...process.env, [variable]: suite.mock.url, [keyVariable]: suite.key },
      timeout: 120_000,
    }).catch((error) => {
      throw new Error(`${error.stdout}\n${error.stderr}`);
    });
    expect(stdout.trim().split('\n')).toEqual(files.map((file) => `${file.operationId} ok`));
  }, 180_000);
});

/**
 * The control API's samples: one command per mock, each run on a mock of its API (the documented port swapped for
 * the test mock's), all of them twice in a row, in an order that keeps what later ones need: a key is created
 * before it is changed or deleted (`$KEY_ID`), the state is replaced and reset last.
 */
describe.each(['tvm', 'mvo'] as const)(
  'mock: every control-API sample for the %s mock, run twice in a row, gets its documented success status',
  (api) => {
    const doc = load('mock');
    const LAST = ['putMockState', 'resetMock'];
    const rank = ({ method, operationId }: Operation) =>
      operationId === 'createMockKey'
        ? 0
        : LAST.includes(operationId)
          ? 3 + LAST.indexOf(operationId)
          : method === 'DELETE'
            ? 2
            : 1;
    const operations = [...operationsOf(doc)].sort((a, b) => rank(a) - rank(b));
    const server = doc.servers.find((candidate: Json) => candidate['x-mock-api'] === api);
    const blockFor = (op: Json) =>
      samplesOf(op, 'curl')[0]
        .source.split('\n\n# ')
        .map((block: string) => block.replace(/^# /, ''))
        .find((block: string) => block.startsWith(`${server.description}\n`));
    const runnable = operations.filter(({ op }) => blockFor(op));
    const env: Record<string, string> = {};
    let mock: MockServer;

    beforeAll(async () => {
      mock = await startMockServer({ api, port: 0, log: () => {} });
    });
    afterAll(async () => {
      await mock?.close();
    });

    it('has a command for the calls this mock takes, and none where it would be refused (MVO has nothing to review)', () => {
      expect(runnable.length).toBeGreaterThan(5);
      if (api === 'mvo') expect(runnable.map((operation) => operation.operationId)).not.toContain('reviewMockItem');
    });

    const rounds = [1, 2].flatMap((round) =>
      runnable.map((operation) => [`round ${round}: ${operation.operationId}`, operation] as const),
    );
    it.each(rounds)('%s', async (_, { op }) => {
      const command = blockFor(op).replaceAll(server.url, mock.url);
      const { status, body } = await runCurl(command, env);
      expect(status, `${op.operationId} answered ${body}`).toBe(successStatus(op));
      if (op.operationId === 'createMockKey') env.KEY_ID = JSON.parse(body).id;
    });
  },
);
