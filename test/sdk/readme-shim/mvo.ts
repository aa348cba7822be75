/** `virtual-commerce-sdk/mvo` as the README blocks see it in the README test: the real module, plus the stub fetch when no baseUrl is given. */
import { createMvoClient as create, type MvoClientOptions } from '../../../sdk/src/mvo/index.ts';
import { stub } from './stub.ts';

export * from '../../../sdk/src/mvo/index.ts';
export const createMvoClient = (options: MvoClientOptions = {}) => create(options.baseUrl === undefined ? { fetch: stub.fetch, ...options } : options);
