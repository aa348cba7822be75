/** Plain request/response data: what the Node server and the MSW handlers both translate to and from. */
import type { HeaderReader } from '../auth/credentials.ts';

export interface MockRequest {
  method: string;
  /** Path without the query string, as sent (not decoded). */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  headers: HeaderReader;
  /** Every header, lowercase names, repeated ones joined with `, ` (as Fetch's `Headers`), in any order: for the journal. */
  headerList?(): Iterable<[string, string]>;
  /** The raw body text, if any. */
  body?: string;
  /** Set by an adapter that stopped reading a body over the limit (`body` then holds none of it). */
  bodyTooLarge?: boolean;
  /**
   * Aborts when the client gives up (MSW: the Request's signal; Node: the connection closing before the answer).
   * Read only while a request waits (its latency): an adapter may make it on first read.
   */
  signal?: AbortSignal;
}

export interface MockResponse {
  /** 0 when `fault` is `reset` or `hang`: no HTTP answer is sent at all. */
  status: number;
  headers: Record<string, string>;
  body?: string;
  /** A network fault the adapter enacts (forced by a scenario); `malformed` needs none, its body is already cut. */
  fault?: TransportFault;
}

/** What an adapter does instead of (or while) sending the answer. */
export type TransportFault = { kind: 'reset' } | { kind: 'hang' } | { kind: 'slow'; delayMs: number };

/** What a step of the pipeline (or a control route) answers; the pipeline adds the headers once, at the end. */
export interface Answer {
  status: number;
  body?: string;
  /** Headers of its own (the control API's `X-Mock-State-File`); the content type is added at the end. */
  headers?: Record<string, string>;
}
