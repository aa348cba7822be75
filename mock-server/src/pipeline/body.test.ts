import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readJsonBody, type BodyRules } from './body.ts';
import type { MockRequest } from './types.ts';

const request = (body: string | undefined, contentType?: string, bodyTooLarge?: boolean): MockRequest => ({
  method: 'POST',
  path: '/',
  query: '',
  headers: (name) => (name === 'content-type' ? contentType : undefined),
  body,
  bodyTooLarge,
});
const API: BodyRules = { required: true, jsonTypeRequired: true };
const CONTROL: BodyRules = { required: true, jsonTypeRequired: false };

describe('readJsonBody', () => {
  it.each([
    ['JSON as application/json', request('{"a":1}', 'application/json'), API, { value: { a: 1 } }],
    ['JSON with a charset', request('[1]', 'application/json; charset=utf-8'), API, { value: [1] }],
    ['a +json media type', request('1', 'application/merge-patch+json'), API, { value: 1 }],
    ['an empty body that may be empty', request('', 'application/json'), { ...API, required: false }, { value: undefined }],
    ['JSON sent as text/plain to the control API', request('{"a":1}', 'text/plain'), CONTROL, { value: { a: 1 } }],
  ] as const)('reads %s', (_label, req, rules, expected) => {
    expect(readJsonBody(req, rules)).toEqual(expected);
  });

  it.each([
    ['an adapter’s too-large flag', request('', 'application/json', true), API, `Request body is too large (limit ${MAX_BODY_BYTES} bytes)`, 'body'],
    ['a body over the limit', request('x'.repeat(MAX_BODY_BYTES + 1), 'application/json'), API, `Request body is too large (limit ${MAX_BODY_BYTES} bytes)`, 'body'],
    ['multi-byte text over the limit in bytes', request('é'.repeat(MAX_BODY_BYTES / 2 + 1), 'application/json'), API, `Request body is too large (limit ${MAX_BODY_BYTES} bytes)`, 'body'],
    ['an empty JSON body', request('', 'application/json'), API, "Body cannot be empty when content-type is set to 'application/json'", 'body'],
    ['an empty body of no type', request(undefined), API, 'body must be object', 'body'],
    ['text/plain', request('{"a":1}', 'text/plain'), API, 'Content-Type must be application/json, got "text/plain"', 'Content-Type'],
    ['no content type', request('{"a":1}'), API, 'Content-Type must be application/json, got none', 'Content-Type'],
    ['malformed JSON', request('{"a":', 'application/json'), API, "Body is not valid JSON but content-type is set to 'application/json'", 'body'],
    ['malformed JSON to the control API', request('{"a":', 'text/plain'), CONTROL, "Body is not valid JSON but content-type is set to 'application/json'", 'body'],
  ] as const)('refuses %s, in Fastify’s words and with the field', (_label, req, rules, message, field) => {
    const read = readJsonBody(req, rules);
    expect('problem' in read && [read.problem.message, read.problem.details[0].field]).toEqual([message, field]);
  });

  it('accepts a body of exactly the limit', () => {
    expect(readJsonBody(request(`"${'x'.repeat(MAX_BODY_BYTES - 2)}"`, 'application/json'), API)).toHaveProperty('value');
  });
});
