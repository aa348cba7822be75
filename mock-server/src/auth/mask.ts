/** How a key may appear in logs, errors and listings: the SDK's rule (sdk/src/shared/mask.ts), through its generated copy. */
import { maskKey } from '../generated/mask.ts';
import { KEY_FORMATS } from '../model/index.ts';
import { escapeRegExp } from '../shared/escape-reg-exp.ts';

export { maskKey, VISIBLE_CHARACTERS } from '../generated/mask.ts';

/**
 * Anything shaped like either API's key: its prefix, then characters of its alphabet (from the specs' key
 * patterns). However many follow: a key cut short or run on into other text is still most of a secret.
 */
const ANY_PREFIX = KEY_FORMATS.map(({ prefix }) => escapeRegExp(prefix)).join('|');
// A run stops where another key's prefix starts (`tvm_` begins with key characters): `<key><key>` is two keys.
const KEY_SHAPED = new RegExp(
  KEY_FORMATS.map(
    ({ prefix, alphabet }) => `${escapeRegExp(prefix)}(?:(?!${ANY_PREFIX})[${alphabet.replace(/[\\\]^-]/g, '\\$&')}])+`,
  ).join('|'),
  'g',
);

const PREFIXES = KEY_FORMATS.map(({ prefix }) => prefix);

/** The API key prefix `value` starts with (`sk_live_`, `tvm_`), or '' when none. */
export function keyPrefixOf(value: string): string {
  return KEY_FORMATS.find(({ prefix }) => value.startsWith(prefix))?.prefix ?? '';
}

/** A whole value masked as a key (a credential header's, a Bearer token's), its API's prefix shown when it has one. */
export function maskWhole(value: string): string {
  return value === '' ? value : maskKey(value, keyPrefixOf(value));
}

/**
 * Request text as it may be kept or shown (the log, the journal, a 404's message): every key-shaped run
 * masked by the one rule. A key sent where no key belongs (`?api_key=`, a path segment) would otherwise be
 * kept whole. Mask text once: a masked key is itself key-shaped, and masking it again shows less.
 */
export function maskKeysIn(text: string): string {
  // Nearly all text holds no key: a search for each prefix costs a fraction of the pattern's replace (every
  // request's path, query and headers pass through here for the log and the journal).
  for (const prefix of PREFIXES)
    if (text.includes(prefix)) return text.replace(KEY_SHAPED, (found) => maskKey(found, keyPrefixOf(found)));
  return text;
}

/** The most of a request's value (a header, a field name) an error message quotes. */
export const ECHO_MAX_CHARACTERS = 100;

/** A value of the request quoted in an error message: bounded, and its keys masked. */
export function echoed(value: string): string {
  return maskKeysIn(value.length > ECHO_MAX_CHARACTERS ? `${value.slice(0, ECHO_MAX_CHARACTERS)}…` : value);
}
