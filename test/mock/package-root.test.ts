/**
 * The package root (`import … from 'virtual-commerce-mock'`) loads the validating proxy, and the Ajv its synchronous
 * checks import, only when `startProxy` or `runProbe` is called: a test that wants `createMock` or
 * `startMockServer` does not pay for them at import. And `startProxy` from the root still is the proxy.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fixtureKey,
  startMockServer,
  startProxy,
  type MockServer,
  type ValidationProxy,
} from '../../mock-server/src/index.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('the package root', () => {
  it('imports neither the proxy nor Ajv until asked', () => {
    // CommonJS packages imported from ES modules land in require.cache: Ajv is one, so its absence shows it unloaded.
    const script = `
      const { createRequire } = await import('node:module');
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('/node_modules/ajv/'));
      const root = await import('./mock-server/src/index.ts');
      const before = loaded().length;
      await root.startProxy({ api: 'tvm', target: 'http://127.0.0.1:9', port: 0 }).then((proxy) => proxy.close());
      console.log(JSON.stringify({ before, after: loaded().length }));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const { before, after } = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });

  describe('startProxy', () => {
    let mock: MockServer | undefined;
    let proxy: ValidationProxy | undefined;
    afterAll(async () => {
      await proxy?.close();
      await mock?.close();
    });

    it('forwards to its target and records the exchange', async () => {
      mock = await startMockServer({ api: 'tvm', port: 0 });
      proxy = await startProxy({ api: 'tvm', target: mock.url, port: 0 });
      const headers = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
      const response = await fetch(`${proxy.url}/v1/shop`, { headers });
      expect(response.status).toBe(200);
      const direct = await (await fetch(`${mock.url}/v1/shop`, { headers })).json();
      expect((await response.json()).data).toEqual(direct.data);
      expect(proxy.markdown()).toContain('/v1/shop');
    });
  });
});
