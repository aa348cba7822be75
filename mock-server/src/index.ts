/** virtual-commerce-mock: spec-driven mocks of the MVO and TVM APIs with their real auth rules. */
export { startMockServer, type MockServer, type MockServerOptions } from './node/server.ts';
import type { ApiName } from './model/index.ts';
import { createMock as createFullMock, type MockOptions } from './pipeline/pipeline.ts';
import type { Mock } from './pipeline/public-mock.ts';
export type { Mock } from './pipeline/public-mock.ts';
export {
  MAX_BODY_BYTES,
  StateDocumentError,
  type JournalEntry,
  type JournalFilter,
  type MockOptions,
  type MockRequest,
  type MockResponse,
  type StateDocument,
} from './pipeline/pipeline.ts';

/** A mock of one API without a server: `handle()` answers a request as the Node server and MSW handlers would. */
export const createMock: (api: ApiName, options?: MockOptions) => Promise<Mock> = createFullMock;
export { FIXTURE_KEYS, fixtureKey } from './fixtures/keys.ts';
export { apiModel, API_NAMES, type ApiName } from './model/index.ts';
export { maskKey } from './auth/index.ts';
export { seededRandom, type Random } from './state/index.ts';
export type { FaultKind, Scenario, ScenarioInput } from './pipeline/scenarios.ts';
export type { CorsSetting } from './node/cors.ts';
import type { ProbeOptions, ProbeResult, ProxyOptions, ValidationProxy } from './proxy/index.ts';
export type { ProbeOptions, ProxyOptions, ProxyReport, ValidationProxy } from './proxy/index.ts';

// The proxy and the probe load their modules (and Ajv, which their synchronous checks need) when first called, not
// when the package is imported: a test that only wants `createMock` or `startMockServer` does not pay for them.

/** Starts the validating proxy (README: "Validating proxy and probe"). */
export async function startProxy(options: ProxyOptions): Promise<ValidationProxy> {
  return (await import('./proxy/index.ts')).startProxy(options);
}

/** Runs the read-only probe of the real API (README: "Validating proxy and probe"). */
export async function runProbe(options: ProbeOptions): Promise<ProbeResult> {
  return (await import('./proxy/index.ts')).runProbe(options);
}
