/**
 * One table of an API's documented errors (status, code, message, when, the SDK class `unwrap()` throws), and
 * the documented 401/403 bodies for its Authentication section: read from every operation's 4xx/5xx examples,
 * so nothing is written twice. The SDK class is the one the SDK really throws for that status: `unwrap()` is
 * called on an answer of that status and the class of what it throws is read.
 */
import { createErrorFactory, createUnwrap } from '../sdk/src/shared/api-errors.ts';
import { eachOperation, resolveRef } from './code-samples.ts';

type Json = Record<string, any>;

export type ErrorRow = {
  status: string;
  code: string;
  message: string;
  when: string;
  body: unknown;
  operations: string[];
};

/** Every distinct documented error answer (status, code, message), in status order, with the operations that document it. */
export function errorRows(doc: Json): ErrorRow[] {
  const rows = new Map<string, ErrorRow>();
  for (const { op } of eachOperation(doc)) {
    for (const [status, raw] of Object.entries<Json>(op.responses ?? {})) {
      if (Number(status) < 400) continue;
      const response = resolveRef(doc, raw);
      const media = response.content?.['application/json'] ?? Object.values<Json>(response.content ?? {})[0];
      const examples = Object.values<Json>(media?.examples ?? {}).map((example) => resolveRef(doc, example));
      for (const example of examples) {
        const { code, message } = envelope(example.value);
        const key = `${status} ${code} ${message}`;
        const row: ErrorRow = rows.get(key) ?? {
          status,
          code,
          message,
          when: oneLine(example.summary ?? example.description ?? response.description ?? ''),
          body: example.value,
          operations: [] as string[],
        };
        if (!row.operations.includes(op.operationId)) row.operations.push(op.operationId);
        rows.set(key, row);
      }
    }
  }
  return [...rows.values()].sort((a, b) => Number(a.status) - Number(b.status));
}

/** The class `unwrap()` throws for an error answer of each status. */
export async function sdkErrorClasses(statuses: string[]): Promise<Map<string, string>> {
  const unwrap = createUnwrap(
    createErrorFactory<unknown>(() => undefined),
    false,
  );
  const classes = new Map<string, string>();
  for (const status of new Set(statuses)) {
    const thrown = await unwrap({ error: {}, response: new Response('{}', { status: Number(status) }) }).catch(
      (error: Error) => error,
    );
    classes.set(status, (thrown as Error).name);
  }
  return classes;
}

/** The Markdown error table: one row per documented answer. */
export function errorTable(rows: ErrorRow[], classes: Map<string, string>, operationCount: number): string {
  return [
    '| Status | Code | Message | When (which operations, if not all) | SDK class (`unwrap()`) |',
    '|----|----|----|----|----|',
    ...rows.map((row) => {
      const ops = row.operations;
      const where =
        ops.length === operationCount
          ? ''
          : ops.length <= 3
            ? ` (${ops.map((id) => `\`${id}\``).join(', ')})`
            : ` (${ops.length} of ${operationCount} operations)`;
      return `| ${row.status} | \`${cell(row.code)}\` | ${cell(row.message)} | ${cell(row.when)}${where} | \`${classes.get(row.status)}\` |`;
    }),
  ].join('\n');
}

/** The documented 401 and 403 bodies, each as sent. */
export function authenticationBodies(rows: ErrorRow[]): string {
  const auth = rows.filter((row) => row.status === '401' || row.status === '403');
  return [
    '| Status | When | Body |',
    '|----|----|----|',
    ...auth.map((row) => `| ${row.status} | ${cell(row.when)} | \`${cell(JSON.stringify(row.body))}\` |`),
  ].join('\n');
}

/** Appends Markdown at the end of a `## heading` section of a description, or as a new section at its end. */
export function appendToSection(description: string, heading: string, text: string): string {
  const start = description.search(new RegExp(`^## ${heading}\\s*$`, 'm'));
  if (start === -1) return `${description.trimEnd()}\n\n## ${heading}\n\n${text}\n`;
  const next = description.slice(start + 1).search(/^## /m);
  const end = next === -1 ? description.length : start + 1 + next;
  const joined = `${description.slice(0, end).trimEnd()}\n\n${text}\n\n${description.slice(end)}`;
  return `${joined.trimEnd()}\n`;
}

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

/** The code and message of an error body in either envelope: `{error: {code, message}}` or `{error: "Reason", message}`. */
function envelope(body: Json): { code: string; message: string } {
  if (body?.error && typeof body.error === 'object')
    return { code: String(body.error.code ?? ''), message: String(body.error.message ?? '') };
  return { code: String(body?.error ?? ''), message: String(body?.message ?? '') };
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const cell = (text: string) => oneLine(text).replaceAll('|', '\\|');
