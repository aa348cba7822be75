/**
 * Finds the API key in a request's headers, for the credential placements the spec declares.
 * Pure and isomorphic: headers come through a reader, so Node, MSW and tests share it.
 *
 * Decisions (README "Assumptions", MVO-A10 / TVM-A14): schemes are tried in spec order, so MVO's
 * `X-API-Key` wins over `Authorization` when both are sent; `Bearer` is matched case-insensitively
 * and may be followed by any run of spaces or tabs; surrounding spaces and tabs are trimmed (HTTP's
 * optional whitespace, and nothing else: a no-break space or other Unicode space is part of the key); a header that
 * is empty, or a `Bearer` with nothing after it, counts as absent; other schemes (`Basic …`) are ignored.
 */
import type { CredentialScheme } from '../model/types.ts';

export type HeaderReader = (lowercaseName: string) => string | null | undefined;

export type Credential =
  | { present: false }
  | {
      present: true;
      key: string;
      via: 'header' | 'bearer';
      header: string /** The security scheme's name. */;
      scheme: string;
    };

const BEARER = /^bearer[ \t]+(.*)$/i;
/** HTTP's optional whitespace around a field value: `String.prototype.trim` would also drop U+00A0 and friends. */
const trimOws = (value: string) =>
  value.charCodeAt(0) > 32 && value.charCodeAt(value.length - 1) > 32 ? value : value.replace(/^[ \t]+|[ \t]+$/g, '');

export function readCredential(headers: HeaderReader, schemes: readonly CredentialScheme[]): Credential {
  for (const scheme of schemes) {
    if (scheme.kind === 'header') {
      const value = trimOws(headers(scheme.header) ?? '');
      if (value) return { present: true, key: value, via: 'header', header: scheme.header, scheme: scheme.name };
    } else {
      const match = BEARER.exec(trimOws(headers('authorization') ?? ''));
      const key = match && trimOws(match[1]);
      if (key) return { present: true, key, via: 'bearer', header: 'authorization', scheme: scheme.name };
    }
  }
  return { present: false };
}
