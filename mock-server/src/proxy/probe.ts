/**
 * The read-only probe (`virtual-commerce-mock check`), for people who would rather not route their traffic
 * through the proxy: it sends a short, fixed list of requests derived from the spec, checks each exchange like
 * the proxy does, and returns the same report.
 *
 * What it sends, in order (nothing else):
 * 1. every GET operation, with the key: list operations first; an item is read by the id of the first listed
 *    item, or by an id that cannot exist (answered 404) when nothing was listed;
 * 2. documented failures, on the first GET: no key, a malformed key, an unknown route, and a paging parameter
 *    below its minimum (where the API has one);
 * 3. only with `allowWrites`: per resource that can be deleted, create it (the spec's request example, e-mail
 *    addresses made unique), read it, update it, and delete it again, whatever happened in between.
 *    Anything it could not delete is listed in the result (`leftBehind`).
 */
import { randomUUID } from 'node:crypto';
import { apiModel, embeddedSpec, type ApiName, type JsonSchema, type OperationModel } from '../model/index.ts';
import { specOperation, assumptionLinks } from './links.ts';
import { MAX_BODY_BYTES } from './mock-parts.ts';
import { decodeBody, rawHeaderReader } from './messages.ts';
import { Recorder, type ProxyReport } from './report.ts';
import {
  createUpstream,
  DEFAULT_TIMEOUT_MS,
  upstreamBase,
  upstreamTarget,
  UpstreamError,
  type UpstreamOptions,
} from './upstream.ts';
import { createExchangeValidator, operationRouter } from './validate.ts';

export interface ProbeOptions extends Partial<UpstreamOptions> {
  api: ApiName;
  /** The key to send (the CLI reads it from the spec's environment variable). */
  key: string;
  /** Also create, update and delete (cleaning up); read-only by default. */
  allowWrites?: boolean;
  /** One line per request sent (key masked). */
  log?: (line: string) => void;
}

export interface ProbeResult {
  report: ProxyReport;
  markdown: string;
  /** Items the probe created and could not delete (`DELETE path` answered no 2xx). */
  leftBehind: string[];
}

interface Sent {
  status: number;
  json: unknown;
}

const USER_AGENT = 'virtual-commerce-mock check';
const MISSING_ID = { uuid: '00000000-0000-0000-0000-000000000000', other: 'contract-check-missing' };

/** The first `id` in a body, breadth first: a created item's own id comes before the ids it refers to. */
function firstId(body: unknown): string | undefined {
  const queue = [body];
  while (queue.length) {
    const node = queue.shift();
    if (!node || typeof node !== 'object') continue;
    if (!Array.isArray(node) && typeof (node as any).id === 'string') return (node as any).id;
    queue.push(...Object.values(node));
  }
  return undefined;
}

/** The spec's first request example for an operation, with each e-mail made unique so a create does not clash. */
function requestExample(api: ApiName, op: OperationModel): unknown {
  const media = specOperation(embeddedSpec(api), op).requestBody?.content?.['application/json'];
  const example = media?.example ?? (Object.values<any>(media?.examples ?? {})[0]?.value as unknown);
  const unique = (value: unknown, schema: JsonSchema | undefined): unknown => {
    if (typeof value === 'string' && schema?.format === 'email')
      return `contract-check-${randomUUID().slice(0, 8)}@example.com`;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, unique(child, properties[name])]));
    }
    return value;
  };
  return unique(structuredClone(example), op.requestBody?.schema);
}

export async function runProbe(options: ProbeOptions): Promise<ProbeResult> {
  const { api, key, log } = options;
  const model = apiModel(api);
  const links = assumptionLinks(api);
  const validate = createExchangeValidator(api, links);
  const route = operationRouter(api);
  const recorder = new Recorder(api, links);
  const upstream = createUpstream({
    target: options.target,
    ca: options.ca,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const scheme = model.schemes[0];
  const credential = (presented: string) =>
    scheme.kind === 'header' ? [scheme.header, presented] : ['Authorization', `Bearer ${presented}`];
  const leftBehind: string[] = [];
  /** Set by the first request that got no answer: the rest are skipped (but for clean-up), not sent to time out one by one. */
  let unanswered = false;

  const send = async (
    method: string,
    target: string,
    presented: string | undefined,
    body?: unknown,
    cleanUp = false,
  ): Promise<Sent | undefined> => {
    if (unanswered && !cleanUp) return undefined;
    const [path, query = ''] = target.split('?');
    const destination = upstreamTarget(upstreamBase(api, route(method, path), options.target), target);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = [
      'Accept',
      'application/json',
      'User-Agent',
      USER_AGENT,
      ...(presented === undefined ? [] : credential(presented)),
      ...(text === undefined ? [] : ['Content-Type', 'application/json']),
    ];
    const secrets = presented === undefined ? [] : [presented];
    try {
      const answer = await upstream.send(destination, method, headers, text);
      const responseBody = decodeBody(
        answer.body,
        rawHeaderReader(answer.rawHeaders)('content-encoding'),
        8 * MAX_BODY_BYTES,
      );
      const verdict = validate({
        method,
        path,
        query,
        requestHeaders: rawHeaderReader(headers),
        requestBody: text ?? '',
        status: answer.status,
        responseHeaders: rawHeaderReader(answer.rawHeaders),
        responseBody,
      });
      const violations = recorder.record({ method, path, query, status: answer.status }, verdict, secrets);
      log?.(
        recorder.scrub(
          `${method} ${destination.href} → ${answer.status} key=${verdict.keyHint ?? '-'}${violations.length ? ` (${violations.length} violation${violations.length === 1 ? '' : 's'})` : ''}`,
          secrets,
        ),
      );
      let json: unknown;
      try {
        json = responseBody ? JSON.parse(responseBody) : undefined;
      } catch {
        json = undefined;
      }
      return { status: answer.status, json };
    } catch (cause) {
      if (!(cause instanceof UpstreamError)) throw cause;
      unanswered = true;
      recorder.recordUpstreamError(
        { method, path, status: cause.status, message: `The probe ${cause.message}` },
        secrets,
      );
      log?.(recorder.scrub(`${method} ${destination.href} → no answer: ${cause.message}`, secrets));
      return undefined;
    }
  };

  const pathFor = (op: OperationModel, id: string) => op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id));
  const missingId = (op: OperationModel) =>
    op.parameters.find((p) => p.in === 'path')?.schema.format === 'uuid' ? MISSING_ID.uuid : MISSING_ID.other;
  const itemOps = (collection: string) =>
    model.operations.filter(
      (op) => op.path.startsWith(`${collection}/{`) && !op.path.slice(collection.length + 1).includes('/'),
    );
  const is2xx = (sent: Sent | undefined) => sent !== undefined && sent.status >= 200 && sent.status < 300;

  try {
    // 1. Reads: lists first, so items can be read by a real id.
    const gets = model.operations.filter((op) => op.method === 'GET');
    const listed = new Map<string, unknown>();
    for (const op of gets.filter((op) => !op.path.includes('{')))
      listed.set(op.path, (await send('GET', op.path, key))?.json);
    for (const op of gets.filter((op) => op.path.includes('{'))) {
      const collection = op.path.slice(0, op.path.lastIndexOf('/'));
      await send('GET', pathFor(op, firstId(listed.get(collection)) ?? missingId(op)), key);
    }

    // 2. Documented failures, on the first GET.
    const anchor = gets.find((op) => !op.path.includes('{')) ?? gets[0];
    const anchorPath = pathFor(anchor, missingId(anchor));
    await send('GET', anchorPath, undefined);
    await send('GET', anchorPath, `${model.keyFormat.prefix}contract-check`);
    const unknown = `${anchorPath}/contract-check-unknown-route`;
    if (!route('GET', unknown)) await send('GET', unknown, key);
    const paged = gets.flatMap((op) =>
      op.parameters.filter((p) => p.in === 'query' && typeof p.schema.minimum === 'number').map((p) => ({ op, p })),
    )[0];
    if (paged)
      await send(
        'GET',
        `${pathFor(paged.op, missingId(paged.op))}?${paged.p.name}=${(paged.p.schema.minimum as number) - 1}`,
        key,
      );

    // 3. Writes, each cleaned up.
    if (options.allowWrites) {
      for (const create of model.operations.filter((op) => op.method === 'POST' && !op.path.includes('{'))) {
        const items = itemOps(create.path);
        const remove = items.find((op) => op.method === 'DELETE');
        if (!remove) continue;
        const created = await send('POST', create.path, key, requestExample(api, create));
        const id = is2xx(created) ? firstId(created!.json) : undefined;
        if (!id) continue;
        try {
          const read = items.find((op) => op.method === 'GET');
          if (read) await send('GET', pathFor(read, id), key);
          const update = items.find((op) => op.method === 'PUT' || op.method === 'PATCH');
          if (update) await send(update.method, pathFor(update, id), key, requestExample(api, update));
        } finally {
          if (!is2xx(await send('DELETE', pathFor(remove, id), key, undefined, true)))
            leftBehind.push(`${create.path}: ${id} (DELETE ${pathFor(remove, id)} failed; remove it by hand)`);
        }
      }
    }
  } finally {
    upstream.close();
  }

  let markdown = recorder.markdown(options.target);
  if (unanswered) markdown += `\nThe probe stopped at the first request that got no answer.\n`;
  if (leftBehind.length)
    markdown += `\n## Left behind\n\nThe probe created these and could not delete them:\n\n${leftBehind.map((item) => `- ${item}`).join('\n')}\n`;
  return { report: recorder.report(), markdown, leftBehind };
}
