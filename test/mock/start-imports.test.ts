/**
 * What a mock server loads to start: no undici. On Node ≥ 22 an ES import of node:http (`import … from 'node:http'`)
 * reads every export to make its ES facade, and the lazy `WebSocket`/`EventSource` exports then load undici with
 * zlib, tls and http2, some 40 ms of a 200 ms cold start; the mock takes node:http as CommonJS does
 * (mock-server/src/node/http-module.ts). Each check runs in a fresh Node, the one running the tests (the Node
 * matrix runs this file on 22 and 24 too).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Runs an ES module script in a fresh Node (with tsx) and returns what its last line printed, parsed. */
function run(script: string): any {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!);
}

const UNDICI_LOADED = `process.moduleLoadList.some((name) => name.includes('undici'))`;

describe('starting a mock server', () => {
  it(`an ES import of node:http loads undici on Node ≥ 22 (this is Node ${NODE_MAJOR}): what the mock avoids`, () => {
    expect(run(`await import('node:http'); console.log(JSON.stringify(${UNDICI_LOADED}));`)).toBe(NODE_MAJOR >= 22);
  });

  it('loads no undici, through its first answer over a socket', () => {
    const script = `
      const { request } = await import('./mock-server/src/node/http-module.ts').then((m) => m.nodeHttp);
      const { startMockServer, fixtureKey } = await import('./mock-server/src/index.ts');
      const server = await startMockServer({ api: 'tvm', port: 0 });
      const status = await new Promise((resolve, reject) => {
        const headers = { authorization: 'Bearer ' + fixtureKey('tvm', 'key_tvm_admin') };
        request(server.url + '/v1/shop', { headers }, (res) => { res.resume(); resolve(res.statusCode); })
          .on('error', reject)
          .end();
      });
      await server.close();
      console.log(JSON.stringify({ status, undici: ${UNDICI_LOADED} }));`;
    expect(run(script)).toEqual({ status: 200, undici: false });
  });
});
