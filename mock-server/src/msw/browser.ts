/**
 * The browser entry: the handlers plus MSW's `setupWorker`, bundle-safe (no `node:` import anywhere in
 * this graph; test/browser/msw-bundle.test.ts checks it with esbuild `platform: 'browser'`).
 *
 * @example
 * ```ts
 * import { setupWorker, createTvmHandlers } from 'virtual-commerce-mock/msw/browser'
 * await setupWorker(...createTvmHandlers()).start({ onUnhandledRequest: 'bypass' })
 * ```
 */
export { setupWorker, type SetupWorker } from 'msw/browser';
export * from './index.ts';
