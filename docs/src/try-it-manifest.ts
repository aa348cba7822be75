/**
 * What docs/build/try-it.ts writes into each reference page (a JSON script tag) and docs/src/try-it.ts reads:
 * the page's operations as the "Try it" panel needs them. No code runs here, so both sides can import it.
 */
import type { MockApi } from './local-api.ts';

export type TryItParameter = {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  example: string;
  description?: string;
};

export type TryItOperation = {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  /** How the key is sent and the scopes that let a key call the operation; absent when no key is needed. */
  credential?: { header: string; valuePrefix: string; scopes: string[] };
  parameters: TryItParameter[];
  body?: { contentType: string; example: string };
};

export type TryItManifest = {
  /** The mocks this page's requests can go to, the first being the default. */
  targets: MockApi[];
  /** The control API call that mints a key (`POST /__mock/keys`). */
  mintPath: string;
  /** The scope catalogue (scope → what it grants) when the API has scopes. */
  scopes?: Record<string, string>;
  /** operationId (lower case, as in Redoc's section ids) → operation. */
  operations: Record<string, TryItOperation>;
};

export const MANIFEST_ELEMENT_ID = 'vc-try-it-manifest';
export const PANEL_CLASS = 'vc-try';
