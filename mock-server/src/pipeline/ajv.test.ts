/**
 * The mock's request path compiles nothing and needs no Ajv compiler: its validators are Ajv standalone code
 * generated at build time (scripts/validators.ts). The order of these tests is the life of one process.
 */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../fixtures/keys.ts';
import { apiModel } from '../model/index.ts';
import { ajvReady, createAjv } from './ajv.ts';
import { createMock, type MockRequest } from './pipeline.ts';

const admin = {
  authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}`,
  'content-type': 'application/json',
} as Record<string, string>;
const request = (method: string, path: string, body = '', query = ''): MockRequest => ({
  method,
  path,
  query,
  headers: (name) => admin[name],
  body,
});

describe('Ajv, never loaded on the request path', () => {
  it('is not loaded when a mock starts, and building a validator before then says what to do', async () => {
    await createMock('tvm');
    expect(ajvReady()).toBe(false);
    expect(() => createAjv()).toThrow('Ajv is not loaded yet: await loadAjv() before building a validator');
  });

  it('stays unloaded while bodies and queries are validated, valid or not', async () => {
    const mock = await createMock('tvm');
    expect((await mock.handle(request('GET', '/v1/shop'))).status).toBe(200);
    const refused = await mock.handle(request('POST', '/v1/offers', '{"title":""}'));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body!).error.code).toBe('VALIDATION_ERROR');
    expect((await mock.handle(request('GET', '/v1/offers', '', 'page=0'))).status).toBe(400);
    expect((await mock.handle(request('GET', '/v1/offers', '', 'page=1'))).status).toBe(200);
    const example = apiModel('tvm').operations.find((op) => op.operationId === 'createOffer')!.requestBody!.examples[0];
    expect((await mock.handle(request('POST', '/v1/offers', JSON.stringify(example)))).status).toBe(201);
    await mock.warmUp();
    expect(ajvReady()).toBe(false);
  });
});
