/**
 * Every programmatic option of the mock, typed and documented once. Which entry point takes which is the options
 * table's to say (table.ts, `surfaces`): `MockOptions`, `MockServerOptions` and `MswHandlerOptions` are picked
 * from this interface by that column, so no option is restated per entry point.
 */
import type { Digest, KeySeed } from '../auth/key-store.ts';
import type { ApiName } from '../model/types.ts';
import type { CorsSetting, TransportLimits } from '../node/settings.ts';
import type { Latency } from '../pipeline/latency.ts';
import type { StateDocument } from '../state/document.ts';
import type { Random } from '../state/random.ts';
import type { StateStore } from '../store/store.ts';
import type { OPTIONS, Surface } from './table.ts';

export interface MockOptionTypes {
  /** Which API this server mocks. */
  api: ApiName;
  /** The interface to listen on; 127.0.0.1 by default. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Required in `X-Mock-Token` on every control request (control-guard.ts); the CLI makes one when `host` is not loopback. */
  controlToken?: string;
  /** `enforce` (default) answers 429 over the limit; `headers` only reports the counts (TVM) or ignores keys' own limits (MVO). */
  rateLimits?: 'enforce' | 'headers';
  /** `true` (default): operations read and change per-account data seeded from the examples; `false`: every answer is a spec example. */
  stateful?: boolean;
  /** Delay before every API answer: milliseconds, or a range `{min, max}` / `'100-300'` to pick from. */
  latency?: number | string | Latency;
  /** CORS for browser apps on other origins: `true` (any origin) or a list of origins; off by default (see cors.ts). */
  cors?: CorsSetting;
  /** With `cors`: `Access-Control-Allow-Credentials: true`, the origin named instead of `*` (`--cors-credentials`). */
  corsCredentials?: boolean;
  /** Makes ids, slugs and generated data repeatable run to run (`--random-seed`): `random` becomes `seededRandom(randomSeed)`; `random` wins when both are given. */
  randomSeed?: number;
  /** Where ids and slugs come from (`seededRandom(n)` makes them repeatable); `Math.random` by default. */
  random?: Random;
  /** A state document (`GET /__mock/state`) loaded at start and again by `POST /__mock/reset` (`--seed`). */
  seed?: StateDocument;
  /**
   * Where every change goes (store/): in memory by default; the CLI's `--state-file` gives a durable one, shared
   * by the mocks of one process. A change the store cannot keep is answered 503.
   */
  store?: StateStore;
  /** With a Redis `store`: the sandbox's name, its keys' prefix (`<prefix>:<api>:…`; default `vcm`). */
  storePrefix?: string;
  /** Keys loaded at start and on reset; the documented fixtures by default. */
  fixtures?: readonly KeySeed[];
  /** Keys added to the fixtures (and restored by `POST /__mock/reset`). */
  keys?: readonly KeySeed[];
  /** Where to answer; defaults to every host in the API's spec `servers`. A path (`http://localhost:5173/tvm`) is stripped before routing. */
  baseUrl?: string | readonly string[];
  /** The clock, for tests of expiry and rate windows. */
  now?: () => Date;
  /** How keys are hashed (Web Crypto by default; the Node server passes a synchronous one). */
  digest?: Digest;
  /** Receives one line per request (method, path, status, time, the masked key); silent when omitted. */
  log?: (line: string) => void;
  /** How many API requests the journal keeps (`GET /__mock/requests`); 1,000 by default, 0 keeps none. */
  journalSize?: number;
  /** Header and request timeouts and the connection cap (transport.ts); the defaults suit a developer's machine. */
  limits?: Partial<TransportLimits>;
}

type Row = (typeof OPTIONS)[number];

/** The properties the table says a surface takes. */
export type PropertiesOf<S extends Surface> = Row extends infer R
  ? R extends { property: infer P; surfaces: readonly (infer T)[] }
    ? S extends T
      ? P & keyof MockOptionTypes
      : never
    : never
  : never;

/** One entry point's options: the properties the table gives it, with their types and docs from MockOptionTypes. */
export type OptionsOf<S extends Surface> = Pick<MockOptionTypes, PropertiesOf<S>>;

/** Compile-time: every property above has a row in the table (a property no row names would be in no entry point). */
type Unlisted = Exclude<
  keyof MockOptionTypes,
  Row extends infer R ? (R extends { property: infer P } ? P : never) : never
>;
type Assert<T extends true> = T;
export type EveryPropertyInTheTable = Assert<[Unlisted] extends [never] ? true : false>;
