/**
 * Forced answers (`POST /__mock/scenarios`): a status, a body, headers, a delay, or a network fault, for the
 * next N requests that match a path pattern, a method and/or a key id, on top of Prism's `Prefer` header. A
 * status scenario applies only to a request whose operation documents that status: the real API never sends an
 * operation an answer it does not have, so neither does the mock (such requests go on as if there were no
 * scenario, and are not counted). A fault, or an answer without a status, applies to any matching request
 * (a body was checked against the operations it may reach when the scenario was made: control/scenario-body.ts).
 */
import { pathPattern, type PathPattern } from './path-pattern.ts';

/**
 * Network faults a client must survive: `reset` destroys the connection, `hang` never answers, `malformed`
 * answers 200 with a truncated JSON body, `slow` sends the headers at once and the body after `delay` ms.
 */
export type FaultKind = 'reset' | 'hang' | 'malformed' | 'slow';

/** How long a `slow` answer's body waits, unless the scenario says. */
export const DEFAULT_SLOW_DELAY_MS = 2000;

export interface ScenarioInput {
  status?: number;
  fault?: FaultKind;
  /** `slow` only: milliseconds between the headers and the body. */
  delay?: number;
  count?: number;
  path?: string;
  method?: string;
  key_id?: string;
  /** `status: 429` only: the seconds the answer says to wait. */
  retry_after?: number;
  /** The whole JSON body to answer (with `status`, or the operation's success status). */
  body?: unknown;
  /** Headers added to the answer. */
  headers?: Record<string, string>;
  /** Milliseconds the answer waits. */
  latency?: number;
  /** `false`: `body` was not checked against the operation's schema. */
  validate?: boolean;
}

export interface Scenario {
  id: string;
  /** The forced status; null when the scenario is a fault. */
  status: number | null;
  fault: FaultKind | null;
  /** `slow` only; null otherwise. */
  delay: number | null;
  /** `null`: every matching request until the scenarios are cleared. */
  count: number | null;
  remaining: number | null;
  path: string | null;
  method: string | null;
  key_id: string | null;
  /** How many requests this scenario has answered. */
  served: number;
  /** `status: 429` only, when set; null otherwise (the key's rate window says). */
  retry_after: number | null;
  /** The body it answers; null for the documented one. */
  body: unknown;
  headers: Record<string, string> | null;
  latency: number | null;
  validate: boolean;
}

/** What the schema cannot say: at most one of status and fault, and something to do; a delay only for `slow`. */
export function scenarioProblem(input: ScenarioInput): string | undefined {
  if (input.status !== undefined && input.fault !== undefined) return 'body must have either status or fault, not both';
  if (input.validate !== undefined && input.body === undefined) return 'body/validate applies with body only';
  if (
    input.status === undefined &&
    input.fault === undefined &&
    input.body === undefined &&
    input.headers === undefined &&
    input.latency === undefined
  ) {
    return 'body must have one of status, fault, body, headers, latency';
  }
  if (input.fault !== undefined && (input.body !== undefined || input.headers !== undefined))
    return 'body/body and body/headers apply without a fault only';
  if (input.delay !== undefined && input.fault !== 'slow') return 'body/delay applies to fault slow only';
  if (input.retry_after !== undefined && input.status !== 429) return 'body/retry_after applies to status 429 only';
  return undefined;
}

/** A scenario as kept: with its path pattern compiled. */
export type KeptScenario = Scenario & { matcher?: PathPattern };

/** A scenario from its input (ids are the book's). */
export function makeScenario(id: string, input: ScenarioInput): KeptScenario {
  return {
    id,
    status: input.status ?? null,
    fault: input.fault ?? null,
    delay: input.fault === 'slow' ? (input.delay ?? DEFAULT_SLOW_DELAY_MS) : null,
    count: input.count ?? null,
    remaining: input.count ?? null,
    path: input.path ?? null,
    method: input.method?.toUpperCase() ?? null,
    key_id: input.key_id ?? null,
    served: 0,
    retry_after: input.retry_after ?? null,
    body: input.body ?? null,
    headers: input.headers ?? null,
    latency: input.latency ?? null,
    validate: input.validate ?? true,
    matcher: input.path === undefined ? undefined : pathPattern(input.path),
  };
}

/** Whether a scenario (with answers left or not) applies to this request. */
export function applies(
  candidate: KeptScenario,
  path: string,
  method: string,
  keyId: string,
  documented: { has(status: number): boolean },
): boolean {
  return (
    (candidate.status === null || documented.has(candidate.status)) &&
    (!candidate.matcher || candidate.matcher.test(path)) &&
    (candidate.method === null || candidate.method === method) &&
    (candidate.key_id === null || candidate.key_id === keyId)
  );
}

/**
 * The scenarios of a mock: in memory (Scenarios), or shared by a sandbox's replicas (store/redis/), where
 * taking one is a round trip so a scenario with `count: N` answers exactly N requests across them.
 */
export interface ScenarioBook {
  add(input: ScenarioInput): Scenario | Promise<Scenario>;
  /** The scenario answering this request, counted; undefined when none applies. */
  take(
    path: string,
    method: string,
    keyId: string,
    documented: { has(status: number): boolean },
  ): Scenario | undefined | Promise<Scenario | undefined>;
  list(): Scenario[] | Promise<Scenario[]>;
  clear(): void | Promise<void>;
}

export class Scenarios implements ScenarioBook {
  readonly #list: KeptScenario[] = [];
  #next = 1;

  add(input: ScenarioInput): Scenario {
    const scenario = makeScenario(`scn_${this.#next++}`, input);
    this.#list.push(scenario);
    return Scenarios.view(scenario);
  }

  /**
   * The scenario answering this request, counted; undefined when none applies. `documented` holds the statuses
   * the request's operation documents.
   */
  take(
    path: string,
    method: string,
    keyId: string,
    documented: { has(status: number): boolean },
  ): Scenario | undefined {
    if (!this.#list.length) return undefined;
    const scenario = this.#list.find(
      (candidate) => candidate.remaining !== 0 && applies(candidate, path, method, keyId, documented),
    );
    if (!scenario) return undefined;
    if (scenario.remaining !== null) scenario.remaining--;
    scenario.served++;
    return scenario;
  }

  list(): Scenario[] {
    return this.#list.map(Scenarios.view);
  }

  clear(): void {
    this.#list.length = 0;
  }

  static view({ matcher: _matcher, ...scenario }: KeptScenario): Scenario {
    return scenario;
  }
}
