/** The isomorphic auth module: Web APIs only (no `node:*`, Prism or msw), used by the server and MSW alike. */
export { authorize, grants, isExpired, type AuthContext, type Verdict } from './authorize.ts';
export { readCredential, type Credential, type HeaderReader } from './credentials.ts';
export { failureTable, renderFailureBody, settableStatuses, type AuthFailure, type FailureTable } from './failures.ts';
export {
  KeyStore,
  publicView,
  type Digest,
  type KeyRecord,
  type KeySeed,
  type KeyStatus,
  type PublicKey,
} from './key-store.ts';
export { echoed, maskKey, maskKeysIn } from './mask.ts';
export { sha256, timingSafeEqual } from './constant-time.ts';
