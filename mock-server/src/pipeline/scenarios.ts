/**
 * Forced statuses (`POST /__mock/scenarios`): a status for the next N requests and/or the paths matching a
 * pattern, on top of Prism's `Prefer` header. A scenario applies only to a request whose operation documents
 * its status: the real API never sends an operation an answer it does not have, so neither does the mock
 * (such requests go on as if there were no scenario, and are not counted).
 */

export interface ScenarioInput {
  status: number;
  count?: number;
  path?: string;
}

export interface Scenario {
  id: string;
  status: number;
  /** `null`: every matching request until the scenarios are cleared. */
  count: number | null;
  remaining: number | null;
  path: string | null;
  /** How many requests this scenario has answered. */
  served: number;
}

/** `/api/customers*` → a RegExp anchored at both ends; `*` matches anything, including `/`. */
function pattern(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

export class Scenarios {
  readonly #list: (Scenario & { matcher?: RegExp })[] = [];
  #next = 1;

  add(input: ScenarioInput): Scenario {
    const scenario = {
      id: `scn_${this.#next++}`,
      status: input.status,
      count: input.count ?? null,
      remaining: input.count ?? null,
      path: input.path ?? null,
      served: 0,
      matcher: input.path === undefined ? undefined : pattern(input.path),
    };
    this.#list.push(scenario);
    return Scenarios.view(scenario);
  }

  /** The scenario answering a request to this path, if its operation documents (`documented`) its status; counted. */
  take(path: string, documented: { has(status: number): boolean }): Scenario | undefined {
    if (!this.#list.length) return undefined;
    const scenario = this.#list.find((candidate) => candidate.remaining !== 0 && documented.has(candidate.status) && (!candidate.matcher || candidate.matcher.test(path)));
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

  static view({ matcher: _matcher, ...scenario }: Scenario & { matcher?: RegExp }): Scenario {
    return scenario;
  }
}
