/** MSW handlers for the MVO and TVM mocks, over the same pipeline as the Node mock server. */
export {
  createMswMock,
  createMvoHandlers,
  createTvmHandlers,
  type MswHandlerOptions,
  type MswMock,
} from './handlers.ts';
export { specServerUrls } from './base-urls.ts';
export { toMockRequest, toResponse } from './adapter.ts';
export { FIXTURE_KEYS, fixtureKey } from '../fixtures/keys.ts';
export { seededRandom } from '../state/random.ts';
