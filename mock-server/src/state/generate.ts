/**
 * Generated data (`POST /__mock/generate`): N realistic records of a collection, made the way a create makes
 * them (ids, slugs, the shop, defaults: the state module's own create), with the fields only the server sets
 * (a status) varied too and creation dates spread over the past year, oldest first. Each create body is
 * checked against the create schema and each record against the record schema before it is stored, so a list
 * UI gets exactly what the API could return. A `seed` makes the result repeatable: the same seed, on the
 * same day of the mock's clock, gives the same records, ids included.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { DEFAULT_ACCOUNT } from '../model/accounts.ts';
import type { ApiModel, JsonSchema } from '../model/types.ts';
import { createAjv, loadAjv } from '../pipeline/ajv.ts';
import { fakeObject, fakeValue, type FakeContext } from './fake-values.ts';
import { idSource, seededRandom } from './random.ts';
import type { ApiState, CollectionInfo } from './types.ts';

export interface GenerateRequest {
  resource: string;
  count: number;
  account?: string;
  seed?: number;
}

const DAY = 86_400_000;
/** Tries per record before giving up (an email that happens to be taken already). */
const ATTEMPTS = 5;

let ajv: ReturnType<typeof createAjv> | undefined;
const validators = new WeakMap<object, ValidateFunction>();
function check(schema: JsonSchema, value: unknown): string | undefined {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = (ajv ??= createAjv({ allErrors: false })).compile(schema)));
  return validate(value) ? undefined : `${validate.errors![0].instancePath || '/'} ${validate.errors![0].message}`;
}

function fieldsOf(info: CollectionInfo): { creatable: string[]; required: string[] } {
  const record = Object.keys((info.record.properties ?? {}) as object);
  return {
    creatable: Object.keys((info.create.properties ?? {}) as object).filter((field) => record.includes(field)),
    required: (info.create.required as string[] | undefined) ?? [],
  };
}

export async function generateItems(
  model: ApiModel,
  state: ApiState,
  request: GenerateRequest,
  at: Date,
  random: () => number = Math.random,
): Promise<{ account: string; items: Record<string, unknown>[] } | { problem: string }> {
  const info = state.collections.find((collection) => collection.name === request.resource);
  if (!info)
    return {
      problem: `body/resource must be one of: ${state.collections.map((c) => c.name).join(', ')} for the ${model.api.toUpperCase()} mock`,
    };
  // Loaded on first use: most mocks never generate, and start-up stays as fast without them.
  const [{ faker }] = await Promise.all([import('@faker-js/faker/locale/en'), loadAjv()]);
  // Without a seed, the mock's generator picks one: repeatable too under --random-seed.
  faker.seed(request.seed ?? Math.floor(random() * 2 ** 31));
  const ids = request.seed === undefined ? undefined : idSource(seededRandom(request.seed));
  const refDate = new Date(Math.floor(at.getTime() / DAY) * DAY);
  const account = request.account ?? DEFAULT_ACCOUNT;
  const { creatable, required } = fieldsOf(info);
  const recordProperties = (info.record.properties ?? {}) as Record<string, JsonSchema>;
  const created = Array.from({ length: request.count }, () => faker.date.past({ years: 1, refDate }).getTime()).sort(
    (a, b) => a - b,
  );

  const items: Record<string, unknown>[] = [];
  for (const createdAt of created) {
    let problem = '';
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const ctx: FakeContext = { faker, collection: info.name, values: {}, refDate };
      const body = fakeObject(ctx, info.create, required, creatable);
      const extra = Object.fromEntries(
        info.serverSet.map((field) => [field, fakeValue(ctx, field, recordProperties[field])]),
      );
      const invalidBody = check(info.create, body);
      if (invalidBody) throw new Error(`generated ${info.name} body is invalid: ${invalidBody}`);
      const inserted = state.insert({ account, collection: info.name, body, extra, at: new Date(createdAt), ids });
      if ('problem' in inserted) {
        problem = inserted.problem;
        continue;
      }
      const invalidItem = check(info.record, inserted.item);
      if (invalidItem) throw new Error(`generated ${info.name} record is invalid: ${invalidItem}`);
      items.push(inserted.item);
      problem = '';
      break;
    }
    if (problem) throw new Error(`could not generate ${info.name}: ${problem}`);
  }
  return { account, items };
}
