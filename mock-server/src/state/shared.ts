/** What both APIs' stateful layers use: documented examples, id minting read from the schema, change reports. */
import type { ApiName, JsonSchema, OperationModel } from '../model/types.ts';
import type { ChangeSink } from '../store/patch.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import type { Resource } from './resources.ts';
import type { IdSource } from './random.ts';
import type { AccountData, CollectionInfo } from './types.ts';

/** The first documented example of an operation's response. */
export function firstExample(op: OperationModel, status: number): unknown {
  return op.responses.get(status)?.examples.values().next().value;
}

export interface IdMaker {
  /** A new id, from the state's own id source unless another is given (generated data may seed one). */
  next(source?: IdSource): string;
  /** The type prefix (`offer_`), when ids have one. */
  prefix?: string;
}

/**
 * New ids in the shape the record's `id` schema shows: `format: uuid` (MVO), or a type prefix taken from its
 * example (`offer_abc123` → `offer_` + random characters, TVM-A9).
 */
export function idMaker(name: string, idSchema: JsonSchema | undefined, ids: IdSource, length = 12): IdMaker {
  if (idSchema?.format === 'uuid') return { next: (source = ids) => source.uuid() };
  const example = (idSchema?.examples as unknown[] | undefined)?.[0];
  const prefix = typeof example === 'string' ? /^([a-z]+_)/.exec(example)?.[1] : undefined;
  if (!prefix)
    throw new Error(
      `${name}: the record's id schema has neither format: uuid nor an example with a type prefix (e.g. offer_abc123)`,
    );
  return { next: (source = ids) => prefix + source.token(length), prefix };
}

/** The last segment of a resource path (`/v1/offers` → `offers`): its name in state documents and generated data. */
export function resourceName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Record fields only the server sets (not in the create body, not computed) whose schema lists the values (`status`). */
export function serverSetFields(
  record: JsonSchema,
  create: JsonSchema | undefined,
  computed: readonly string[],
): string[] {
  const creatable = (create?.properties ?? {}) as Record<string, unknown>;
  return Object.entries((record.properties ?? {}) as Record<string, JsonSchema>)
    .filter(([field, schema]) => !computed.includes(field) && !(field in creatable) && Array.isArray(schema.enum))
    .map(([field]) => field);
}

/**
 * What state documents and generated data need of each collection, the same for both APIs: the collections by
 * name (`offers`), each one's record schema (its read's success data), create schema and server-set fields.
 */
export function describeCollections<C extends { resource: Resource }>(
  collections: Iterable<C>,
  dialect: Pick<Dialect, 'dataSchema'>,
  computed: readonly string[],
) {
  const byName = new Map(
    [...collections].map((collection) => [resourceName(collection.resource.path), collection] as const),
  );
  const recordOf = (collection: C): JsonSchema => {
    const read = collection.resource.operations.read!;
    return dialect.dataSchema(read.responses.get(read.successStatus)!.schema)!;
  };
  const infos: CollectionInfo[] = [...byName].map(([name, collection]) => ({
    name,
    record: recordOf(collection),
    create: collection.resource.operations.create?.requestBody?.schema ?? {},
    serverSet: serverSetFields(
      recordOf(collection),
      collection.resource.operations.create?.requestBody?.schema,
      computed,
    ),
  }));
  return { byName, recordOf, infos };
}

/**
 * How a state layer reports its changes to the store, as document patches (store/patch.ts) in the names of
 * the state document (`customers`, `shop`): called at each place it changes something, after the change.
 * The values are live records: the store serialises them at once.
 */
export function changeReporter(api: ApiName, sink: ChangeSink = () => {}) {
  return {
    /** A collection's record set, or removed (`null`). */
    record: (account: string, resource: string, id: string, value: Record<string, unknown> | null) =>
      sink({ api, account, resource, id, value }),
    /** A singleton's record set. */
    singleton: (account: string, resource: string, value: Record<string, unknown>) =>
      sink({ api, account, resource, value }),
    /** An account made on first use, with what it starts with. */
    account: (account: string, data: AccountData) => sink({ api, account, data }),
  };
}
