/**
 * A query string as the object its schema validates. A name given once is its value; a name given more than
 * once is the list of its values, as Fastify's parser hands it to Ajv. A scalar parameter then fails its schema
 * (`querystring/limit must be integer`), a 400 as Prism answers, instead of validation reading one of the values
 * and the handler another (`URLSearchParams.get` reads the first, `Object.fromEntries` keeps the last):
 * `limit=1000&limit=5` once answered 200 with 1,000 items.
 */
export function queryValues(query: URLSearchParams): Record<string, string | string[]> {
  const values = new Map<string, string | string[]>();
  for (const [name, value] of query) {
    const earlier = values.get(name);
    values.set(name, earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [earlier, value]);
  }
  // fromEntries defines own properties: a `__proto__` name stays a plain property, never the prototype.
  return Object.fromEntries(values);
}
