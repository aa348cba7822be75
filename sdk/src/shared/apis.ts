/**
 * @module
 * Who each client is: the API's generated facts plus the names a message points a reader to. Kept side by side so
 * each client can name the other when it is handed the other API's key.
 */
import { facts as mvoFacts } from '../mvo/generated/facts.js';
import { facts as tvmFacts } from '../tvm/generated/facts.js';

export interface ApiProfile {
  readonly facts: {
    readonly apiTitle: string;
    readonly envVar: string;
    readonly keyPrefix: string;
    readonly keyPattern: string;
    readonly keyFormatText: string;
    readonly defaultBaseUrl: string;
    readonly baseUrlEnvVar: string;
    readonly pathPrefix: string;
    readonly enveloped: boolean;
    readonly operationServers: Readonly<Record<string, string>>;
  };
  /** How messages name the factory, e.g. `createMvoClient()`. */
  readonly factory: string;
  readonly entryPoint: string;
  /** The client's name in `util.inspect` and `Object.prototype.toString`. */
  readonly clientName: string;
}

export const MVO: ApiProfile = {
  facts: mvoFacts,
  factory: 'createMvoClient()',
  entryPoint: 'virtual-commerce-sdk/mvo',
  clientName: 'MvoClient',
};
export const TVM: ApiProfile = {
  facts: tvmFacts,
  factory: 'createTvmClient()',
  entryPoint: 'virtual-commerce-sdk/tvm',
  clientName: 'TvmClient',
};

/** The API a key of `api`'s sibling belongs to. */
export const otherApi = (api: ApiProfile): ApiProfile => (api === MVO ? TVM : MVO);
