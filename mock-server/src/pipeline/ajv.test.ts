/** Ajv is loaded on first need, not at start: the order of these tests is the life of one process. */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../fixtures/keys.ts';
import { ajvReady, createAjv } from './ajv.ts';
import { createMock, type MockRequest } from './pipeline.ts';

const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}`, 'content-type': 'application/json' } as Record<string, string>;
const request = (method: string, path: string, body = ''): MockRequest => ({ method, path, query: '', headers: (name) => admin[name], body });

describe('Ajv, loaded on first need', () => {
  it('is not loaded when a mock starts, and building a validator before then says what to do', async () => {
    await createMock('tvm');
    expect(ajvReady()).toBe(false);
    expect(() => createAjv()).toThrow('Ajv is not loaded yet: await loadAjv() before building a validator');
  });

  it('stays unloaded while answers need no validator, and loads for the first one that does', async () => {
    const mock = await createMock('tvm');
    expect((await mock.handle(request('GET', '/v1/shop'))).status).toBe(200);
    expect(ajvReady()).toBe(false);
    const refused = await mock.handle(request('POST', '/v1/offers', '{"title":""}'));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body!).error.code).toBe('VALIDATION_ERROR');
    expect(ajvReady()).toBe(true);
  });
});
