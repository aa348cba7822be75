/**
 * JSON text in pieces of about `size` characters, for writing a large state document without building it as
 * one string: `JSON.stringify` of 100,000 records makes a 58 MB string that then costs as much again to encode
 * and collect as to make (measured: 520–660 ms whole, 305–375 ms in pieces). Objects and arrays are split down
 * to `depth` levels; below that each value is one `JSON.stringify`. The text is what `JSON.stringify(value)`
 * gives for plain data (keys whose value is undefined or a function are left out, as it does).
 */
function* pieces(value: unknown, depth: number): Generator<string> {
  if (
    depth <= 0 ||
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i) yield ',';
      yield* pieces(value[i], depth - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* pieces(child, depth - 1);
  }
  yield '}';
}

/** `value` as JSON, in strings of about `size` characters (the last one shorter). */
export function* jsonChunks(value: unknown, depth: number, size: number): Generator<string> {
  let chunk = '';
  for (const piece of pieces(value, depth)) {
    chunk += piece;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
