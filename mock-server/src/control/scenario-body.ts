/**
 * A scenario's `body` is what the API would send, or it is refused when the scenario is made (400 naming the
 * problem): checked against the schema every operation the scenario may reach (its `path` and `method`)
 * documents for the answer's status (the scenario's, or each operation's success status). `validate: false`
 * skips the check, for a client tested against a body the API would never send.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { ApiModel, OperationModel } from '../model/types.ts';
import { createAjv, loadAjv } from '../pipeline/ajv.ts';
import { pathPattern } from '../pipeline/path-pattern.ts';
import type { ScenarioInput } from '../pipeline/scenarios.ts';

/** The operations a scenario's `path` and `method` may reach (a pattern is tried on the path templates, and a concrete path on their shapes). */
export function operationsReached(
  model: Pick<ApiModel, 'operations'>,
  input: Pick<ScenarioInput, 'path' | 'method'>,
): OperationModel[] {
  const method = input.method?.toUpperCase();
  const pattern = input.path === undefined ? undefined : pathPattern(input.path);
  const sample = input.path?.replaceAll('*', 'x');
  return model.operations.filter((op) => {
    if (method !== undefined && op.method !== method) return false;
    if (!pattern) return true;
    const shape = new RegExp(`^${op.path.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return pattern.test(op.path) || shape.test(sample!);
  });
}

export function scenarioBodyCheck(
  model: Pick<ApiModel, 'operations'>,
): (input: ScenarioInput) => Promise<string | undefined> {
  let ajv: ReturnType<typeof createAjv> | undefined;
  const compiled = new Map<string, ValidateFunction>();
  return async (input) => {
    if (input.body === undefined || input.validate === false) return undefined;
    const reached = operationsReached(model, input).filter(
      (op) => input.status === undefined || op.responses.has(input.status),
    );
    const where = `path ${input.path ?? '*'}, method ${input.method?.toUpperCase() ?? 'any'}${input.status === undefined ? '' : `, status ${input.status}`}`;
    if (!reached.length)
      return `body/body: no operation answers ${where}, so no schema checks the body; narrow path or method, or send "validate": false`;
    await loadAjv();
    for (const op of reached) {
      const status = input.status ?? op.successStatus;
      const schema = op.responses.get(status)?.schema;
      if (!schema)
        return `body/body: ${op.operationId} documents no JSON body for ${status}; send "validate": false to answer one anyway`;
      const key = `${op.operationId} ${status}`;
      let validate = compiled.get(key);
      if (!validate) compiled.set(key, (validate = (ajv ??= createAjv({ allErrors: false })).compile(schema)));
      if (!validate(input.body)) {
        const [first] = validate.errors!;
        return `body/body${first.instancePath} ${first.message} (${op.operationId}'s ${status} response); send "validate": false to answer it anyway`;
      }
    }
    return undefined;
  };
}
