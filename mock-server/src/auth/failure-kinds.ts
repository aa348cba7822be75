/**
 * The vocabulary of authentication failures the mock's decision knows (authorize.ts). Which of them an API
 * documents, and with what answer, is the API's fact: its 401/403 examples name them in `x-auth-failures`.
 * No imports: scripts/control-facts.ts reads the specs with this vocabulary without loading the mock.
 */
export const AUTH_FAILURES = ['missing', 'invalid', 'revoked', 'disabled', 'expired', 'missing_scope'] as const;
export type AuthFailure = (typeof AUTH_FAILURES)[number];

/** The failures that are a state a key is put in (through the control API), not a property of the request. */
export const KEY_STATE_FAILURES = ['revoked', 'disabled'] as const satisfies readonly AuthFailure[];
export type KeyStateFailure = (typeof KEY_STATE_FAILURES)[number];

export const isKeyStateFailure = (status: string): status is KeyStateFailure =>
  (KEY_STATE_FAILURES as readonly string[]).includes(status);
