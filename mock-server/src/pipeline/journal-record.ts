/**
 * What the journal keeps of a request's body and headers, made safe to show: the body's first
 * JOURNAL_BODY_CHARACTERS with every key-shaped run masked (auth/mask.ts), and the headers by lowercase name,
 * a credential header's value masked whole (a Bearer token, a cookie, the control token: not only what looks
 * like either API's key), the others with key-shaped runs masked.
 */
import { maskKeysIn, maskWhole } from '../auth/mask.ts';
import type { ApiModel } from '../model/types.ts';
import { JOURNAL_BODY_CHARACTERS } from './journal.ts';
import type { MockRequest } from './types.ts';

/** Headers that carry a credential whatever the API: masked whole. */
const ALWAYS_CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie', 'x-mock-token'];
/** An auth scheme before its token (`Bearer `), kept: it says how the key was sent. */
const SCHEME = /^([A-Za-z][\w-]*[ \t]+)(\S.*)$/;

function maskCredential(name: string, value: string): string {
  const scheme = name.endsWith('authorization') ? SCHEME.exec(value) : null;
  return scheme ? `${scheme[1]}${maskWhole(scheme[2])}` : maskWhole(value);
}

export interface JournalParts {
  path: string;
  query: string;
  body: string | null;
  bodyTruncated: boolean;
  headers: Record<string, string>;
}

/** How many distinct strings the journal shares before it starts its table afresh. */
const SHARED_STRINGS = 1_024;
/** Longer values are kept as they are: a table of long, mostly unique values would hold much and share little. */
const SHARED_LENGTH = 256;

/**
 * One copy of each short string the journal keeps, made safe first (only masked values come here). Why: a journal
 * entry outlives V8's young generation under load (1,000 entries are a few hundred milliseconds of requests), so
 * every string it holds is copied at each minor GC and then moved to the old one; those copies set the length of
 * the pauses, and the pauses set the tail latency. Requests repeat their path and headers: shared, the new copies
 * die young. Bounded: a stream of unique values only restarts the table.
 */
export class SharedStrings {
  readonly #table = new Map<string, string>();

  constructor(readonly size = SHARED_STRINGS) {}

  of(value: string): string {
    if (value.length > SHARED_LENGTH) return value;
    const known = this.#table.get(value);
    if (known !== undefined) return known;
    if (this.#table.size >= this.size) this.#table.clear();
    this.#table.set(value, value);
    return value;
  }
}

/**
 * Makes the journal's view of requests to one API (its credential headers come from its security schemes). The
 * headers of a request that sends what the one before sent (the usual case: one client, one key) are the same
 * object, which the journal never changes.
 */
export function journalParts(model: Pick<ApiModel, 'schemes'>): (request: MockRequest) => JournalParts {
  const credentials = new Set([
    ...ALWAYS_CREDENTIALS,
    ...model.schemes.flatMap((scheme) => (scheme.kind === 'header' ? [scheme.header.toLowerCase()] : [])),
  ]);
  const strings = new SharedStrings();
  let lastHeaders: Readonly<Record<string, string>> = {};
  let lastCount = 0;
  return (request) => {
    const text = request.body ?? '';
    const bodyTruncated = request.bodyTooLarge === true || text.length > JOURNAL_BODY_CHARACTERS;
    const headers: Record<string, string> = {};
    let count = 0;
    let same = true;
    for (const [name, value] of request.headerList?.() ?? []) {
      const safe = strings.of(credentials.has(name) ? maskCredential(name, value) : maskKeysIn(value));
      headers[name] = safe;
      same &&= lastHeaders[name] === safe;
      count++;
    }
    // Every name with the same value, and as many names: the same headers.
    if (!same || count !== lastCount) {
      lastHeaders = headers;
      lastCount = count;
    }
    return {
      path: strings.of(maskKeysIn(request.path)),
      query: strings.of(maskKeysIn(request.query)),
      body: text === '' ? null : maskKeysIn(bodyTruncated ? text.slice(0, JOURNAL_BODY_CHARACTERS) : text),
      bodyTruncated,
      headers: lastHeaders,
    };
  };
}
