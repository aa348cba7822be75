import { describe, expect, it } from 'vitest';
import { toMockRequest, toResponse } from './adapter.ts';
import { basePathOf, resolveBaseUrls, specServerUrls } from './base-urls.ts';

describe('toMockRequest', () => {
  it('keeps the path encoded and the query raw', async () => {
    const request = await toMockRequest(new Request('http://h.test/v1/offers/%E2%9C%93%20x?limit=5&q=a%20b&'));
    expect([request.method, request.path, request.query]).toEqual([
      'GET',
      '/v1/offers/%E2%9C%93%20x',
      'limit=5&q=a%20b&',
    ]);
  });

  it('strips the base path, and only a whole segment of it', async () => {
    expect((await toMockRequest(new Request('http://h.test/tvm/v1/shop'), '/tvm')).path).toBe('/v1/shop');
    expect((await toMockRequest(new Request('http://h.test/tvm'), '/tvm')).path).toBe('/');
    expect((await toMockRequest(new Request('http://h.test/tvmx/v1/shop'), '/tvm')).path).toBe('/tvmx/v1/shop');
  });

  it('reads headers by lowercase name and the body for everything but GET and HEAD', async () => {
    const request = await toMockRequest(
      new Request('http://h.test/x', { method: 'delete', headers: { 'X-API-Key': ' k ' }, body: '{"a":1}' }),
    );
    expect([request.method, request.headers('x-api-key'), request.headers('authorization'), request.body]).toEqual([
      'DELETE',
      'k',
      null,
      '{"a":1}',
    ]);
    expect((await toMockRequest(new Request('http://h.test/x'))).body).toBe('');
  });
});

describe('toResponse', () => {
  it('copies status, headers and body', async () => {
    const response = toResponse({
      status: 403,
      headers: { 'content-type': 'application/json', 'x-ratelimit-limit': '30' },
      body: '{"ok":false}',
    });
    expect([response.status, response.headers.get('x-ratelimit-limit'), await response.text()]).toEqual([
      403,
      '30',
      '{"ok":false}',
    ]);
  });

  it('sends no body for 204, for HEAD, or when there is none', async () => {
    expect(toResponse({ status: 204, headers: {} }).body).toBeNull();
    expect(toResponse({ status: 404, headers: {}, body: '{}' }, 'HEAD').body).toBeNull();
    expect(toResponse({ status: 200, headers: {} }).body).toBeNull();
  });
});

describe('base URLs', () => {
  it('come from the spec servers at every level', () => {
    expect(specServerUrls('mvo')).toEqual([
      'https://api.my-virtual-office.com',
      'https://app-api.my-virtual-office.com',
    ]);
    expect(specServerUrls('tvm')).toEqual(['https://api.thevirtualmall.co.uk']);
  });

  it('accept one URL or a list, without trailing slashes or duplicates', () => {
    expect(resolveBaseUrls('tvm', 'http://localhost:5173/tvm/')).toEqual(['http://localhost:5173/tvm']);
    expect(resolveBaseUrls('mvo', ['http://a.test', 'http://a.test/', 'http://b.test'])).toEqual([
      'http://a.test',
      'http://b.test',
    ]);
    expect(() => resolveBaseUrls('mvo', [])).toThrow(/empty/);
  });

  it('give the path to strip', () => {
    expect([
      basePathOf('http://localhost:5173/tvm'),
      basePathOf('https://api.thevirtualmall.co.uk'),
      basePathOf('/mvo/'),
    ]).toEqual(['/tvm', '', '/mvo']);
  });
});
