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
  /** Set by an adapter that stopped reading a body over the limit (`body` then holds none of it). */
  bodyTooLarge?: boolean;
}

export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** What a step of the pipeline (or a control route) answers; the pipeline adds the headers once, at the end. */
export interface Answer {
  status: number;
  body?: string;
}
