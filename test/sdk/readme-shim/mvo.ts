/** `virtual-commerce-sdk/mvo` as the README blocks see it in the README test: the real module, plus the stub fetch (or the mock of `mockTarget`) when no baseUrl is given (by the option or VIRTUAL_HUB_BASE_URL). */
import { createMvoClient as create, type MvoClientOptions } from '../../../sdk/src/mvo/index.ts';
import { mockTarget, stub } from './stub.ts';

export * from '../../../sdk/src/mvo/index.ts';
export const createMvoClient = (options: MvoClientOptions = {}) =>
  create(
    options.baseUrl !== undefined || process.env.VIRTUAL_HUB_BASE_URL
      ? options
      : mockTarget.mvo
        ? { ...options, ...mockTarget.mvo }
        : { fetch: stub.fetch, ...options },
  );
