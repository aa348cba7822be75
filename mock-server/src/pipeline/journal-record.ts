/**
 * What the journal keeps of a request's body and headers, made safe to show: the body's first
 * JOURNAL_BODY_CHARACTERS with every key-shaped run masked (auth/mask.ts), and the headers by lowercase name,
 * a credential header's value masked whole (a Bearer token, a cookie, the control token: not only what looks
 * like either API's key), the others with key-shaped runs masked.
 */
import { maskKey, maskKeysIn } from '../auth/mask.ts';
import { KEY_FORMATS } from '../model/index.ts';
import type { ApiModel } from '../model/types.ts';
import { JOURNAL_BODY_CHARACTERS } from './journal.ts';
import type { MockRequest } from './types.ts';

/** Headers that carry a credential whatever the API: masked whole. */
const ALWAYS_CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie', 'x-mock-token'];
/** An auth scheme before its token (`Bearer `), kept: it says how the key was sent. */
const SCHEME = /^([A-Za-z][\w-]*[ \t]+)(\S.*)$/;

const prefixOf = (value: string) => KEY_FORMATS.find(({ prefix }) => value.startsWith(prefix))?.prefix ?? '';
const maskWhole = (value: string) => (value === '' ? value : maskKey(value, prefixOf(value)));

function maskCredential(name: string, value: string): string {
  const scheme = name.endsWith('authorization') ? SCHEME.exec(value) : null;
  return scheme ? `${scheme[1]}${maskWhole(scheme[2])}` : maskWhole(value);
}

export interface JournalParts {
  body: string | null;
  bodyTruncated: boolean;
  headers: Record<string, string>;
}

/** Makes the journal's view of requests to one API (its credential headers come from its security schemes). */
export function journalParts(model: Pick<ApiModel, 'schemes'>): (request: MockRequest) => JournalParts {
  const credentials = new Set([
    ...ALWAYS_CREDENTIALS,
    ...model.schemes.flatMap((scheme) => (scheme.kind === 'header' ? [scheme.header.toLowerCase()] : [])),
  ]);
  return (request) => {
    const text = request.body ?? '';
    const bodyTruncated = request.bodyTooLarge === true || text.length > JOURNAL_BODY_CHARACTERS;
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headerList?.() ?? [])
      headers[name] = credentials.has(name) ? maskCredential(name, value) : maskKeysIn(value);
    return {
      body: text === '' ? null : maskKeysIn(bodyTruncated ? text.slice(0, JOURNAL_BODY_CHARACTERS) : text),
      bodyTruncated,
      headers,
    };
  };
}
