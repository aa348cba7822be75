/**
 * Scenarios shared by a sandbox's replicas. Their definitions are a Redis list with a version; each replica
 * keeps a copy, fetched again when the version it learns at its catch-up (the log script returns it) differs,
 * and matches requests against it locally, so a request no scenario applies to costs no round trip. Taking one
 * is a Lua script over the matching candidates (scenarioTake): a scenario with `count: N` answers exactly N
 * requests across all replicas.
 */
import {
  applies,
  makeScenario,
  Scenarios,
  type KeptScenario,
  type Scenario,
  type ScenarioBook,
  type ScenarioInput,
} from '../../pipeline/scenarios.ts';
import type { RedisConnection, SandboxKeys } from './connection.ts';

interface Definition {
  id: string;
  input: ScenarioInput;
}

export class SharedScenarios implements ScenarioBook {
  readonly #redis: RedisConnection;
  readonly #keys: SandboxKeys;
  /** The definitions' version in Redis as last learned (store/redis/redis-store.ts). */
  readonly #version: () => number;
  #copy: KeptScenario[] = [];
  #copyVersion = -1;

  constructor(redis: RedisConnection, keys: SandboxKeys, version: () => number) {
    this.#redis = redis;
    this.#keys = keys;
    this.#version = version;
  }

  async #definitions(): Promise<KeptScenario[]> {
    const version = this.#version();
    if (version === this.#copyVersion) return this.#copy;
    const listed = await this.#redis.run((client) => client.lRange(this.#keys.scenarios, 0, -1));
    this.#copy = listed.map((text) => {
      const { id, input } = JSON.parse(text) as Definition;
      return makeScenario(id, input);
    });
    this.#copyVersion = version;
    return this.#copy;
  }

  async add(input: ScenarioInput): Promise<Scenario> {
    const keys = this.#keys;
    const id = `scn_${await this.#redis.run((client) => client.incr(keys.scenarioNext))}`;
    await this.#redis.run((client) =>
      client
        .multi()
        .rPush(keys.scenarios, JSON.stringify({ id, input } satisfies Definition))
        .hSet(keys.scenarioRemaining, id, String(input.count ?? -1))
        .incr(keys.scenarioVersion)
        .exec(),
    );
    this.#copyVersion = -1;
    return Scenarios.view(makeScenario(id, input));
  }

  async take(
    path: string,
    method: string,
    keyId: string,
    documented: { has(status: number): boolean },
  ): Promise<Scenario | undefined> {
    const definitions = await this.#definitions();
    if (!definitions.length) return undefined;
    const candidates = definitions.filter((candidate) => applies(candidate, path, method, keyId, documented));
    if (!candidates.length) return undefined;
    const id = await this.#redis.run((client) =>
      client.scenarioTake(
        this.#keys.scenarioRemaining,
        this.#keys.scenarioServed,
        candidates.map((candidate) => candidate.id),
      ),
    );
    return candidates.find((candidate) => candidate.id === id);
  }

  async list(): Promise<Scenario[]> {
    const keys = this.#keys;
    const [listed, remaining, served] = await this.#redis.run((client) =>
      Promise.all([
        client.lRange(keys.scenarios, 0, -1),
        client.hGetAll(keys.scenarioRemaining),
        client.hGetAll(keys.scenarioServed),
      ]),
    );
    return listed.map((text) => {
      const { id, input } = JSON.parse(text) as Definition;
      const left = Number(remaining[id] ?? 0);
      return {
        ...Scenarios.view(makeScenario(id, input)),
        remaining: left < 0 ? null : left,
        served: Number(served[id] ?? 0),
      };
    });
  }

  async clear(): Promise<void> {
    const keys = this.#keys;
    await this.#redis.run((client) =>
      client
        .multi()
        .del([keys.scenarios, keys.scenarioRemaining, keys.scenarioServed])
        .incr(keys.scenarioVersion)
        .exec(),
    );
    this.#copyVersion = -1;
  }
}
