/**
 * JSON with its repeated parts written once. A dereferenced OpenAPI description repeats every schema wherever it
 * is used (TVM's: 282 kB, of which 45 kB are distinct): the mocks embed theirs this way, so a start parses a sixth
 * of the text and keeps one object per distinct part, used wherever the description repeats it (as a
 * dereferencer that shares resolved objects leaves it). Readers must not change what they read.
 *
 * `shareRepeats` (the build) replaces each object or array that occurs more than once, and whose JSON is longer than
 * a reference to it, by `{"$shared": n}`, n an index into `shared`; `inflate` (the mock, at start) puts them back.
 */

export interface SharedJson {
  doc: unknown;
  /** The repeated parts; one may refer to another with a lower index. */
  shared: unknown[];
}

const MARKER = '$shared';
/** Below this many characters of JSON a part is not worth a reference (`{"$shared":12}` is 14). */
const WORTH_SHARING = 32;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function shareRepeats(doc: unknown): SharedJson {
  const seen = new Map<string, number>();
  const count = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (isRecord(value) && Object.hasOwn(value, MARKER)) throw new Error(`a member named ${MARKER} cannot be shared`);
    const text = JSON.stringify(value);
    if (text.length >= WORTH_SHARING) seen.set(text, (seen.get(text) ?? 0) + 1);
    for (const child of Object.values(value)) count(child);
  };
  count(doc);
  const index = new Map<string, number>();
  const shared: unknown[] = [];
  const encode = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const text = JSON.stringify(value);
    const known = index.get(text);
    if (known !== undefined) return { [MARKER]: known };
    const encoded = Array.isArray(value)
      ? value.map(encode)
      : Object.fromEntries(Object.entries(value).map(([key, child]) => [key, encode(child)]));
    if ((seen.get(text) ?? 0) < 2) return encoded;
    // Its parts were numbered first, so an entry refers only to entries before it.
    index.set(text, shared.length);
    shared.push(encoded);
    return { [MARKER]: index.get(text) };
  };
  return { doc: encode(doc), shared };
}

/** The value `shareRepeats` was given (repeated parts now one object each). Changes `encoded` in place. */
export function inflate<T>(encoded: SharedJson): T {
  const made: unknown[] = [];
  // Visits objects only, and writes only where a reference is put back (it runs once per start, uncompiled).
  const restore = (value: object): unknown => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child = value[i];
        if (typeof child === 'object' && child !== null) {
          const restored = restore(child);
          if (restored !== child) value[i] = restored;
        }
      }
      return value;
    }
    const record = value as Record<string, unknown>;
    const index = record[MARKER];
    if (typeof index === 'number') return made[index];
    const keys = Object.keys(record);
    for (let i = 0; i < keys.length; i++) {
      const child = record[keys[i]];
      if (typeof child === 'object' && child !== null) {
        const restored = restore(child);
        if (restored !== child) record[keys[i]] = restored;
      }
    }
    return record;
  };
  const restoreAny = (value: unknown) => (typeof value === 'object' && value !== null ? restore(value) : value);
  for (const entry of encoded.shared) made.push(restoreAny(entry));
  return restoreAny(encoded.doc) as T;
}
