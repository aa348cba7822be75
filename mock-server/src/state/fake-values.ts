/**
 * Realistic values for generated records, from @faker-js/faker: by field name where a name says more than
 * its schema (a title, a voucher code, an address line), else by the schema (enum, format, type, bounds).
 * The schema always has the last word: strings are cut to `maxLength`, numbers kept within their bounds,
 * and state/generate.ts validates every record before it is stored.
 */
import type { Faker } from '@faker-js/faker';
import type { JsonSchema } from '../model/types.ts';

export interface FakeContext {
  faker: Faker;
  /** The collection (`offers`), for names that mean different things (an offer's title, a news title). */
  collection: string;
  /** What this record has so far: later fields read earlier ones (the title reads the discount). */
  values: Record<string, unknown>;
  /** Dates are spread around this day. */
  refDate: Date;
}

const DAY = 86_400_000;

/**
 * Images and links work offline: an image is an SVG placeholder inlined as a `data:` URI (a coloured panel with
 * a few words, or initials for an avatar), so offline demos and CI screenshots show it; a link goes to a host
 * under `.example`, reserved by RFC 2606 and never resolved. No generated value names a host on the internet.
 */
function svgImage(width: number, height: number, fill: string, text: string, round = false): string {
  // Kept short (a few hundred characters): thousands of generated items carry one each, in every export and log.
  const shape = round
    ? `<circle cx='50%' cy='50%' r='50%' fill='${fill}'/>`
    : `<rect width='100%' height='100%' fill='${fill}'/>`;
  const label = text.replace(/[^\x20-\x7e]/g, '').replace(/[<>&'"]/g, '');
  const size = Math.round(height / (round ? 2.5 : 9));
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' width='${width}' height='${height}'>${shape}<text x='50%' y='50%' dominant-baseline='middle' text-anchor='middle' font-family='sans-serif' font-size='${size}' fill='#fff'>${label}</text></svg>`;
  // Base64 of ASCII: the same bytes from Node's and every browser's btoa.
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}

/** A dark colour white text reads on. */
const panelColour = ({ faker }: FakeContext) =>
  `hsl(${faker.number.int({ min: 0, max: 359 })},55%,${faker.number.int({ min: 28, max: 42 })}%)`;
const offlineLink = ({ faker }: FakeContext, path = '') => `https://${faker.internet.domainWord()}.example/${path}`;
/** Generated first, because other fields read them. */
export const FIRST_FIELDS = ['first_name', 'last_name', 'discountType', 'discountValue', 'startsAt', 'publishedAt'];

const iso = (date: Date) => date.toISOString();

function dealTitle({ faker, values }: FakeContext): string {
  const thing = faker.commerce.department();
  const value = values.discountValue as number | undefined;
  switch (values.discountType) {
    case 'percentage':
      return `${value ?? 20}% off ${thing}`;
    case 'fixed_amount':
      return `£${value ?? 10} off ${thing} orders`;
    case 'free_shipping':
      return `Free delivery on ${thing}`;
    case 'bogof':
      return `Buy one, get one free on ${thing}`;
    case 'multibuy':
      return `3 for 2 on ${thing}`;
    default:
      return `${faker.commerce.productAdjective()} ${thing} deals`;
  }
}

/** Values by field name (`collection.field` first, then `field`); `undefined` leaves the field out. */
const BY_NAME: Record<string, (ctx: FakeContext) => unknown> = {
  first_name: ({ faker }) => faker.person.firstName(),
  last_name: ({ faker }) => faker.person.lastName(),
  // A short random part keeps emails unique within an account, however many are generated.
  email: ({ faker, values }) =>
    faker.internet
      .email({
        firstName: String(values.first_name ?? ''),
        lastName: `${values.last_name ?? ''}.${faker.string.alphanumeric(4)}`,
        provider: 'example.com',
      })
      .toLowerCase(),
  company_name: ({ faker }) => faker.company.name(),
  legal_entity: ({ faker }) => faker.helpers.arrayElement(['GmbH', 'AG', 'UG', 'e.K.', 'LLC', 'Ltd']),
  street: ({ faker }) => faker.location.streetAddress(),
  city: ({ faker }) => faker.location.city(),
  postal_code: ({ faker }) => faker.location.zipCode(),
  country: ({ faker }) => faker.location.country(),
  discountValue: ({ faker, values }) =>
    values.discountType === 'percentage'
      ? faker.number.int({ min: 1, max: 14 }) * 5
      : values.discountType === 'fixed_amount'
        ? faker.number.int({ min: 1, max: 10 }) * 5
        : undefined,
  minSpend: ({ faker }) => faker.helpers.arrayElement([undefined, 20, 30, 50, 75, 100]),
  'offers.title': dealTitle,
  'vouchers.title': dealTitle,
  'content.title': ({ faker }) => faker.company.catchPhrase(),
  code: ({ faker, values }) =>
    `${faker.helpers.arrayElement(['SAVE', 'WELCOME', 'SPRING', 'VIP', 'EXTRA', 'DEAL'])}${values.discountValue ?? faker.number.int({ min: 5, max: 50 })}${faker.string.alphanumeric({ length: 2, casing: 'upper' })}`,
  description: ({ faker }) => faker.commerce.productDescription(),
  terms: ({ faker }) => `${faker.lorem.sentence()} Cannot be combined with other offers.`,
  restrictions: ({ faker }) =>
    faker.helpers.arrayElement([
      'New customers only.',
      'One use per customer.',
      'Excludes sale items.',
      'Online only.',
    ]),
  summary: ({ faker }) => faker.lorem.sentence(),
  body: ({ faker }) => `## ${faker.company.buzzPhrase()}\n\n${faker.lorem.paragraphs(2, '\n\n')}`,
  imageUrl: (ctx) => svgImage(800, 450, panelColour(ctx), ctx.faker.commerce.productAdjective()),
  imageAlt: ({ faker }) => faker.lorem.words(4),
  authorAvatarUrl: (ctx) =>
    svgImage(96, 96, panelColour(ctx), ctx.faker.string.alpha({ length: 2, casing: 'upper' }), true),
  landingUrl: (ctx) => offlineLink(ctx, ctx.faker.helpers.slugify(ctx.faker.lorem.words(2))),
  linkUrl: (ctx) => offlineLink(ctx, ctx.faker.helpers.slugify(ctx.faker.lorem.words(2))),
  linkText: ({ faker }) => faker.helpers.arrayElement(['Shop now', 'Read more', 'Find out more', 'Get the deal']),
  authorName: ({ faker }) => faker.person.fullName(),
  startsAt: ({ faker, refDate }) =>
    iso(faker.date.between({ from: refDate.getTime() - 60 * DAY, to: refDate.getTime() + 14 * DAY })),
  publishedAt: ({ faker, refDate }) => iso(faker.date.between({ from: refDate.getTime() - 60 * DAY, to: refDate })),
  // After the start (or the publication), 1 to 90 days later.
  expiresAt: ({ faker, values, refDate }) => {
    const from = Date.parse(String(values.startsAt ?? values.publishedAt ?? iso(refDate)));
    return iso(faker.date.between({ from: from + DAY, to: from + 90 * DAY }));
  },
};

function typesOf(schema: JsonSchema): string[] {
  return Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
}

function formatsOf(schema: JsonSchema): string[] {
  const branches = [...((schema.anyOf as JsonSchema[]) ?? []), ...((schema.oneOf as JsonSchema[]) ?? [])];
  return [schema.format as string | undefined, ...branches.map((branch) => branch.format as string | undefined)].filter(
    (format): format is string => !!format,
  );
}

/** A value from the schema alone. */
function bySchema(ctx: FakeContext, schema: JsonSchema): unknown {
  const { faker } = ctx;
  if (Array.isArray(schema.enum)) {
    // The default, when there is one, is the common case (most customers are active).
    const others = (schema.enum as unknown[]).filter((value) => value !== schema.default);
    return schema.default !== undefined && faker.datatype.boolean({ probability: 0.7 })
      ? schema.default
      : faker.helpers.arrayElement(others.length ? others : (schema.enum as unknown[]));
  }
  const variant = [...((schema.oneOf as JsonSchema[]) ?? [])].find(
    (branch) => !typesOf(branch).includes('null') && (branch.enum || branch.type),
  );
  if (variant && !schema.type) return bySchema(ctx, variant);
  const types = typesOf(schema);
  const formats = formatsOf(schema);
  if (types.includes('boolean')) return faker.datatype.boolean({ probability: 0.3 });
  if (types.includes('integer') || types.includes('number')) {
    const min = (schema.minimum as number | undefined) ?? 0;
    return faker.number.int({ min, max: (schema.maximum as number | undefined) ?? min + 100 });
  }
  if (types.includes('object')) return fakeObject(ctx, schema, (schema.required as string[] | undefined) ?? []);
  if (formats.includes('email')) return faker.internet.email({ provider: 'example.com' }).toLowerCase();
  if (formats.includes('uri')) return offlineLink(ctx);
  if (formats.includes('date-time') || formats.includes('date'))
    return iso(faker.date.recent({ days: 60, refDate: ctx.refDate }));
  return faker.lorem.words(3);
}

/** Keeps a string within the schema's length bounds. */
function bounded(value: unknown, schema: JsonSchema): unknown {
  if (typeof value !== 'string') return value;
  const max = schema.maxLength as number | undefined;
  return max !== undefined && value.length > max ? value.slice(0, max).trimEnd() : value;
}

/** A value for one field; `undefined` leaves it out. */
export function fakeValue(ctx: FakeContext, field: string, schema: JsonSchema): unknown {
  const byName = BY_NAME[`${ctx.collection}.${field}`] ?? BY_NAME[field];
  return bounded(byName ? byName(ctx) : bySchema(ctx, schema), schema);
}

/** An object of the schema: every required field, and most optional ones (real data has gaps). */
export function fakeObject(
  ctx: FakeContext,
  schema: JsonSchema,
  required: readonly string[],
  only?: readonly string[],
): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const fields = Object.keys(properties).filter((field) => !only || only.includes(field));
  const ordered = [
    ...FIRST_FIELDS.filter((field) => fields.includes(field)),
    ...fields.filter((field) => !FIRST_FIELDS.includes(field)),
  ];
  const values: Record<string, unknown> = {};
  const outer = ctx.values;
  ctx.values = values;
  for (const field of ordered) {
    if (!required.includes(field) && !ctx.faker.datatype.boolean({ probability: 0.85 })) continue;
    const value = fakeValue(ctx, field, properties[field]);
    if (value !== undefined) values[field] = value;
  }
  ctx.values = outer;
  // Back in schema order, as the API lists fields.
  return Object.fromEntries(fields.filter((field) => field in values).map((field) => [field, values[field]]));
}
