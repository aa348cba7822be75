/**
 * Finds the API key in a request's headers, for the credential placements the spec declares.
 * Pure and isomorphic: headers come through a reader, so Node, MSW and tests share it.
 *
 * Decisions (README "Assumptions", MVO-A10 / TVM-A14): schemes are tried in spec order, so MVO's
 * `X-API-Key` wins over `Authorization` when both are sent; `Bearer` is matched case-insensitively
 * and may be followed by any run of spaces or tabs; surrounding whitespace is trimmed; a header that
 * is empty, or a `Bearer` with nothing after it, counts as absent; other schemes (`Basic …`) are ignored.
 */
import type { CredentialScheme } from '../model/types.ts';

export type HeaderReader = (lowercaseName: string) => string | null | undefined;

export type Credential =
  | { present: false }
  | { present: true; key: string; via: 'header' | 'bearer'; header: string };

const BEARER = /^bearer[ \t]+(.*)$/i;

export function readCredential(headers: HeaderReader, schemes: readonly CredentialScheme[]): Credential {
  for (const scheme of schemes) {
    if (scheme.kind === 'header') {
      const value = headers(scheme.header)?.trim();
      if (value) return { present: true, key: value, via: 'header', header: scheme.header };
    } else {
      const match = BEARER.exec(headers('authorization')?.trim() ?? '');
      const key = match?.[1].trim();
      if (key) return { present: true, key, via: 'bearer', header: 'authorization' };
    }
  }
  return { present: false };
}
