/** Plain request/response data: what the Node server and the MSW handlers both translate to and from. */
import type { HeaderReader } from '../auth/credentials.ts';

export interface MockRequest {
  method: string;
  /** Path without the query string, as sent (not decoded). */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  headers: HeaderReader;
  /** The raw body text, if any. */
  body?: string;
}

export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
  /** The masked key that authenticated (or failed), for the request log; never the whole key. */
  keyHint?: string;
}
