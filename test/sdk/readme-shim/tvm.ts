/** `virtual-commerce-sdk/tvm` as the README blocks see it in the README test: the real module, plus the stub fetch when no baseUrl is given. */
import { createTvmClient as create, type TvmClientOptions } from '../../../sdk/src/tvm/index.ts';
import { stub } from './stub.ts';

export * from '../../../sdk/src/tvm/index.ts';
export const createTvmClient = (options: TvmClientOptions = {}) => create(options.baseUrl === undefined ? { fetch: stub.fetch, ...options } : options);
