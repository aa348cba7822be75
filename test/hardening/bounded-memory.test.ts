/**
 * Regressions found by the soak (bench/soak.ts): memory a long run must not grow. The pipeline caches the text of
 * each auth-failure body by the body object, so every failure must be answered with one of a bounded set of
 * objects; a fresh object per missing-scope answer grew the TVM mock by ~60 MiB a minute under load.
 */
import { describe, expect, it } from 'vitest';
import { failureTable, renderFailureBody } from '../../mock-server/src/auth/index.ts';
import { apiModel } from '../../mock-server/src/model/index.ts';

describe('auth-failure bodies', () => {
  const model = apiModel('tvm');
  const table = failureTable(model);
  const scopes = [...new Set(model.operations.flatMap((op) => op.scopes))];

  it('are one object per failure and scope, however often they are rendered', () => {
    expect(scopes.length).toBeGreaterThan(1);
    const missingScope = table.missing_scope!;
    for (const scope of scopes)
      expect(JSON.stringify(renderFailureBody(missingScope, scope))).toContain(`Missing required scope: ${scope}`);
    expect(new Set(scopes.map((scope) => renderFailureBody(missingScope, scope))).size).toBe(scopes.length);
    // Every failure rendered for every scope, many times over: the objects stay as many as the distinct answers.
    const others = ['missing', 'invalid', 'disabled', 'expired'] as const;
    const rendered = new Set<unknown>();
    for (let i = 0; i < 100; i++) {
      for (const scope of scopes) {
        rendered.add(renderFailureBody(missingScope, scope));
        for (const failure of others) rendered.add(renderFailureBody(table[failure]!, scope));
      }
    }
    expect(rendered.size).toBe(scopes.length + new Set(others.map((failure) => table[failure]!.body)).size);
  });
});
