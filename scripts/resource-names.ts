/**
 * How an operation is named as an SDK resource method, one rule for the SDK's generated table
 * (scripts/generate.ts) and the docs' TypeScript samples (scripts/code-samples.ts): the group is the first tag
 * in camelCase (`Offers` → `offers`), the method the verb the operationId starts with (`listOffers` → `list`).
 */
export function resourceName(op: { operationId?: string; tags?: string[] }): { group: string; method: string } {
  const tag = op.tags?.[0];
  const method = op.operationId && /^[a-z]+/.exec(op.operationId)?.[0];
  if (!tag || !method)
    throw new Error(
      `${op.operationId ?? 'an operation'}: a resource method needs a tag and an operationId starting with a verb`,
    );
  const group = tag.replace(/^./, (c) => c.toLowerCase()).replace(/\W+(\w)/g, (_m, c: string) => c.toUpperCase());
  return { group, method };
}
