import { describe, expect, it } from 'vitest';
import { readJsonBody, type BodyRules } from './body.ts';

const LIMIT = 1_000;
import type { MockRequest } from './types.ts';

const request = (body: string | undefined, contentType?: string, bodyTooLarge?: boolean): MockRequest => ({
  method: 'POST',
  path: '/',
  query: '',
  headers: (name) => (name === 'content-type' ? contentType : undefined),
  body,
  bodyTooLarge,
});
const API: BodyRules = { required: true, jsonTypeRequired: true, maxBytes: LIMIT };
const CONTROL: BodyRules = { required: true, jsonTypeRequired: false, maxBytes: LIMIT };

describe('readJsonBody', () => {
  it.each([
    ['JSON as application/json', request('{"a":1}', 'application/json'), API, { value: { a: 1 } }],
    ['JSON with a charset', request('[1]', 'application/json; charset=utf-8'), API, { value: [1] }],
    ['a +json media type', request('1', 'application/merge-patch+json'), API, { value: 1 }],
    [
      'an empty body that may be empty',
      request('', 'application/json'),
      { ...API, required: false },
      { value: undefined },
    ],
    ['JSON sent as text/plain to the control API', request('{"a":1}', 'text/plain'), CONTROL, { value: { a: 1 } }],
  ] as const)('reads %s', (_label, req, rules, expected) => {
    expect(readJsonBody(req, rules)).toEqual(expected);
  });

  it.each([
    [
      'an empty JSON body',
      request('', 'application/json'),
      API,
      "Body cannot be empty when content-type is set to 'application/json'",
      'body',
    ],
    ['an empty body of no type', request(undefined), API, 'body must be object', 'body'],
    [
      'text/plain',
      request('{"a":1}', 'text/plain'),
      API,
      'Content-Type must be application/json, got "text/plain"',
      'Content-Type',
    ],
    ['no content type', request('{"a":1}'), API, 'Content-Type must be application/json, got none', 'Content-Type'],
    [
      'malformed JSON',
      request('{"a":', 'application/json'),
      API,
      "Body is not valid JSON but content-type is set to 'application/json'",
      'body',
    ],
    [
      'malformed JSON to the control API',
      request('{"a":', 'text/plain'),
      CONTROL,
      "Body is not valid JSON but content-type is set to 'application/json'",
      'body',
    ],
  ] as const)('refuses %s, in Fastify’s words and with the field', (_label, req, rules, message, field) => {
    const read = readJsonBody(req, rules);
    expect('problem' in read && [read.problem.message, read.problem.details[0].field]).toEqual([message, field]);
  });

  it.each([
    ['an adapter’s too-large flag', request('', 'application/json', true)],
    ['a body over the limit', request('x'.repeat(LIMIT + 1), 'application/json')],
    [
      'multi-byte text over the limit in bytes, under it in characters',
      request('é'.repeat(LIMIT / 2 + 1), 'application/json'),
    ],
    ['malformed JSON over the limit (the size is checked first)', request('{'.repeat(LIMIT + 1), 'application/json')],
  ] as const)('reports %s as too large, whatever the rest', (_label, req) => {
    expect(readJsonBody(req, API)).toEqual({ tooLarge: true });
  });

  it('accepts a body of exactly the limit, in bytes', () => {
    expect(readJsonBody(request(`"${'x'.repeat(LIMIT - 2)}"`, 'application/json'), API)).toHaveProperty('value');
    expect(readJsonBody(request(`"${'é'.repeat((LIMIT - 2) / 2)}"`, 'application/json'), API)).toHaveProperty('value');
  });
});
