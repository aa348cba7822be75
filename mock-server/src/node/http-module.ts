/**
 * node:http as CommonJS hands it out, not through `import … from 'node:http'`. Why: on Node ≥ 22 an ES import of a
 * built-in makes its ES facade by reading every export, and node:http's lazy exports (`WebSocket`, `EventSource`, …)
 * then load undici, with zlib, tls and http2: 40–45 ms of a cold start that is about 200 ms (hyperfine, Node 22.23
 * and 24.22; Node 20's node:http has no such exports; no other built-in the mock imports costs anything measurable).
 * `process.getBuiltinModule` (Node ≥ 20.16) returns the module as it is; createRequire does the same where it is
 * missing. Types still come from `import type … from 'node:http'`, which compiles to nothing.
 */
import { createRequire } from 'node:module';

type HttpModule = typeof import('node:http');

export const nodeHttp: HttpModule =
  process.getBuiltinModule?.('node:http') ?? (createRequire(import.meta.url)('node:http') as HttpModule);
