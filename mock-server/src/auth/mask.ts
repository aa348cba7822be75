/** How a key may appear in logs, errors and listings: the SDK's rule (sdk/src/shared/mask.ts), through its generated copy. */
export { maskKey, VISIBLE_CHARACTERS } from '../generated/mask.ts';
