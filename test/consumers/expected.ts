/** What the SDK consumer (fixtures/sdk-consumer.ts) must report on every runtime, and the inputs it gets. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import type { RunningMock } from './harness.ts';

export const EXPECTED_RESULT = {
  shopSlug: 'example-store',
  offersListed: expect.any(Number),
  customerEmail: expect.stringMatching(/^consumer-[0-9a-f-]{36}@example\.com$/),
  tvm401: { status: 401, code: 'UNAUTHORIZED', isAuthError: true },
  mvo401: { status: 401, message: 'Invalid API key' },
};

/** The mock's URLs and fixture keys, the keys read from the installed mock package of `project`. */
export async function consumerInputs(project: string, mock: RunningMock) {
  const entry = createRequire(join(project, 'package.json')).resolve('virtual-commerce-mock');
  const { fixtureKey } = await import(pathToFileURL(entry).href);
  return {
    mvoUrl: mock.mvo,
    tvmUrl: mock.tvm,
    mvoKey: fixtureKey('mvo', 'key_mvo_active'),
    tvmKey: fixtureKey('tvm', 'key_tvm_admin'),
  };
}
