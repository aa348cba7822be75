/** `virtual-commerce-sdk/tvm` as the README blocks see it in the README test: the real module, plus the stub fetch (or the mock of `mockTarget`) when no baseUrl is given (by the option or TVM_BASE_URL). */
import { createTvmClient as create, type TvmClientOptions } from '../../../sdk/src/tvm/index.ts';
import { mockTarget, stub } from './stub.ts';

export * from '../../../sdk/src/tvm/index.ts';
export const createTvmClient = (options: TvmClientOptions = {}) =>
  create(
    options.baseUrl !== undefined || process.env.TVM_BASE_URL
      ? options
      : mockTarget.tvm
        ? { ...options, ...mockTarget.tvm }
        : { fetch: stub.fetch, ...options },
  );
