import { describe, expect, it } from 'vitest';
import { Journal, JOURNAL_CAPACITY, type JournalRecord } from './journal.ts';

const AT = new Date('2026-03-01T12:00:00.000Z');
const record = (n: number, extra: Partial<JournalRecord> = {}): JournalRecord => ({
  at: new Date(AT.getTime() + n * 1000),
  method: 'GET',
  path: `/v1/offers/${n}`,
  query: '',
  operation: 'getOffer',
  status: 200,
  durationMs: 1.23456,
  keyId: 'key_tvm_admin',
  keyPrefix: 'tvm_xrbw…',
  fault: null,
  body: null,
  bodyTruncated: false,
  headers: {},
  ...extra,
});

describe('Journal', () => {
  it('keeps the last `capacity` requests, newest first, and counts those it dropped', () => {
    const journal = new Journal(3);
    for (let n = 1; n <= 5; n++) journal.record(record(n));
    expect(journal.list().map((entry) => entry.path)).toEqual(['/v1/offers/5', '/v1/offers/4', '/v1/offers/3']);
    expect(journal.recorded).toBe(5);
  });

  it('keeps 1,000 by default', () => {
    const journal = new Journal();
    for (let n = 1; n <= JOURNAL_CAPACITY + 5; n++) journal.record(record(n));
    const listed = journal.list();
    expect([JOURNAL_CAPACITY, listed.length, listed[0].path, listed.at(-1)!.path]).toEqual([
      1000,
      1000,
      '/v1/offers/1005',
      '/v1/offers/6',
    ]);
  });

  it('shows an entry with an ISO time, a rounded duration, and null for a status never sent', () => {
    const journal = new Journal(2);
    journal.record(record(1, { status: 0, fault: 'reset' }));
    expect(journal.list()).toEqual([
      {
        time: '2026-03-01T12:00:01.000Z',
        method: 'GET',
        path: '/v1/offers/1',
        query: '',
        operation: 'getOffer',
        status: null,
        duration_ms: 1.235,
        key_id: 'key_tvm_admin',
        key_prefix: 'tvm_xrbw…',
        fault: 'reset',
        body: null,
        body_truncated: false,
        headers: {},
      },
    ]);
  });

  it('filters by path pattern, method (any case), status or status class, key id, and limits', () => {
    const journal = new Journal(10);
    journal.record(record(1));
    journal.record(record(2, { method: 'POST', path: '/v1/offers', status: 201 }));
    journal.record(record(3, { path: '/v1/shop', status: 401, keyId: null }));
    journal.record(record(4, { path: '/v1/nope', status: 404, operation: null }));
    const paths = (filter: Parameters<Journal['list']>[0]) => journal.list(filter).map((entry) => entry.path);
    expect(paths({ path: '/v1/offers*' })).toEqual(['/v1/offers', '/v1/offers/1']);
    expect(paths({ method: 'post' })).toEqual(['/v1/offers']);
    expect(paths({ status: '4xx' })).toEqual(['/v1/nope', '/v1/shop']);
    expect(paths({ status: '201' })).toEqual(['/v1/offers']);
    expect(paths({ key_id: 'key_tvm_admin', limit: 1 })).toEqual(['/v1/nope']);
  });

  it('clears, and a capacity of 0 keeps nothing', () => {
    const journal = new Journal(2);
    journal.record(record(1));
    journal.clear();
    expect([journal.list(), journal.recorded]).toEqual([[], 0]);
    const off = new Journal(0);
    off.record(record(1));
    expect(off.list()).toEqual([]);
    expect(() => new Journal(-1)).toThrow(/capacity/);
  });

  it('filters by operation, by query pairs, and by a part of the JSON body or a text in it', () => {
    const journal = new Journal(5);
    journal.record(record(1, { operation: 'listOffers', query: 'status=active&limit=5' }));
    journal.record(
      record(2, {
        method: 'POST',
        operation: 'createOffer',
        body: '{"title":"Red mug","discount":{"type":"percent","value":20}}',
      }),
    );
    journal.record(record(3, { method: 'POST', operation: 'createOffer', body: '{"title":"Blue mug"}' }));
    journal.record(record(4, { method: 'POST', operation: 'createOffer', body: 'not json, Red mug' }));
    const paths = (filter: Parameters<Journal['list']>[0]) =>
      journal.list(filter).map((entry) => entry.path.slice('/v1/offers/'.length));
    expect(paths({ operation: 'createOffer' })).toEqual(['4', '3', '2']);
    expect(paths({ query: 'status=active' })).toEqual(['1']);
    expect(paths({ query: 'limit=5&status=active' })).toEqual(['1']);
    expect(paths({ query: 'status=draft' })).toEqual([]);
    expect(paths({ body: { title: 'Red mug' } })).toEqual(['2']);
    expect(paths({ body: '{"discount":{"value":20}}' })).toEqual(['2']);
    expect(paths({ body: { discount: { value: 21 } } })).toEqual([]);
    expect(paths({ body: 'Red mug' })).toEqual(['4', '2']);
  });
});
