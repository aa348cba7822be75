/** virtual-commerce-mock: spec-driven mocks of the MVO and TVM APIs with their real auth rules. */
export { startMockServer, type MockServer, type MockServerOptions } from './node/server.ts';
export {
  createMock,
  MAX_BODY_BYTES,
  StateDocumentError,
  type JournalEntry,
  type JournalFilter,
  type Mock,
  type MockOptions,
  type MockRequest,
  type MockResponse,
  type StateDocument,
} from './pipeline/pipeline.ts';
export { FIXTURE_KEYS, fixtureKey } from './fixtures/keys.ts';
export { apiModel, API_NAMES, type ApiName } from './model/index.ts';
export { maskKey } from './auth/index.ts';
export { seededRandom, type Random } from './state/index.ts';
export type { FaultKind, Scenario, ScenarioInput } from './pipeline/scenarios.ts';
export type { CorsSetting } from './node/cors.ts';
export { runProbe, startProxy, type ProbeOptions, type ProxyOptions, type ProxyReport, type ValidationProxy } from './proxy/index.ts';
