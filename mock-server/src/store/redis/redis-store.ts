/**
 * A mock's state shared by the replicas of a sandbox through Redis (`--store redis://…`): a replicated state
 * machine. Redis holds the truth (per sandbox prefix and API): an ordered log of commits (each the document
 * patches one request made) and a compacted snapshot document with the log position it covers. Each replica
 * keeps the mock's in-memory state as a view of it, and:
 *
 * - before any request, catches up: one round trip (a Lua script) returns the log entries after its position
 *   (or the snapshot first, when its position was trimmed away or is unknown), which it applies in order;
 *   concurrent reads share one catch-up issued after they arrived;
 * - a request that may change state (not GET or HEAD) first takes the sandbox's write lock (SET NX PX with a
 *   token; the same script returns the catch-up) after a local mutex (a replica does not contend with itself),
 *   is handled, then its patches are appended and the lock released in one script, only while the token still
 *   holds it (a lock whose time ran out is not written through);
 * - a read that happens to change something (an account made on first use) commits the same way: it takes the
 *   lock; if another replica wrote meanwhile, its view is reloaded and the request is handled again.
 *
 * When Redis cannot be reached or a commit fails, the request is answered 503 (StoreUnavailableError) and the
 * view is dropped: the next request reloads it from Redis, so nothing half-written is ever served. A replica
 * killed mid-request leaves at most a lock that expires (LOCK_TTL_MS) and no commit.
 */
import { randomUUID } from 'node:crypto';
import type { StateDocument } from '../../state/document.ts';
import type { DocumentPatch } from '../patch.ts';
import {
  RetryRequest,
  StoreUnavailableError,
  type ReplicaView,
  type SharedParts,
  type StateStore,
  type StoreTransaction,
} from '../store.ts';
import type { RedisConnection, SandboxKeys } from './connection.ts';
import { SharedJournal } from './journal.ts';
import { sharedRateCounters } from './rate-counters.ts';
import { SharedScenarios } from './scenarios.ts';
import { LOCK_TTL_MS, type SyncReply } from './scripts.ts';

/** How long a write waits for the lock before it is answered 503. */
const LOCK_WAIT_MS = 10_000;
/** A replica with writes queued keeps the lock for at most this many of them, or this long: then others get a turn. */
const HOLD_MAX_WRITES = 64;
const HOLD_MAX_MS = 50;
/**
 * Compact when the log since the snapshot is twice the snapshot's size, and at least this large: each byte of
 * state is written again at most once per two bytes of changes, and rarely (an export holds the event loop).
 */
const COMPACT_MIN_BYTES = 8 * 1024 * 1024;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RedisStore implements StateStore {
  version = 0;
  readonly #redis: RedisConnection;
  readonly #keys: SandboxKeys;
  #view: ReplicaView | undefined;
  /** The last log seq this view reflects; -1: unknown (reload before serving). */
  #pos = -1;
  /** Changes recorded by the view and not yet committed, serialised. */
  #pending: string[] = [];
  /** Set while applying others' changes: the view reports them, they are not ours to commit. */
  #applying = false;
  /** Increases each time the view is dropped: a request that recorded changes before knows they are gone. */
  #epoch = 0;
  /** The definitions' version of the shared scenarios, as of the last catch-up. */
  scenarioVersion = 0;
  #logBytes = 0;
  #snapshotBytes = 0;
  /** Applying catch-ups one after the other. */
  #applied: Promise<void> = Promise.resolve();
  /** Local writes, one at a time. */
  #writes: Promise<void> = Promise.resolve();
  /** Resolves when the local write in progress (holding the Redis lock) ends. */
  #critical: Promise<void> | undefined;
  /** The sandbox's write lock while this replica holds it (across local writes queued one after the other). */
  #hold: { token: string; writes: number; since: number } | undefined;
  /** Local writes waiting for the mutex. */
  #waiting = 0;
  /** The log's seq once every commit sent so far is in (each commit says which seq it expects to follow). */
  #sent = 0;
  /** The token of a hold whose commit failed: the lock may still be this replica's. */
  #lostToken: string | undefined;
  /** The last commit sent (a read that saw changes not yet kept waits for it). */
  #lastCommit: Promise<void> = Promise.resolve();
  /** The catch-up being fetched, and the one queued behind it for reads that arrived after it was sent. */
  #fetching: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  /** Rate counters, scenarios and the journal, kept in Redis beside the log. */
  readonly shared: SharedParts;

  constructor(redis: RedisConnection, keys: SandboxKeys) {
    this.#redis = redis;
    this.#keys = keys;
    this.shared = {
      rateCounters: sharedRateCounters(redis, keys),
      scenarios: new SharedScenarios(redis, keys, () => this.scenarioVersion),
      journal: (local) => new SharedJournal(redis, keys, local),
    };
  }

  /** The mock's state this store keeps (createMock attaches it). */
  attach(view: ReplicaView): void {
    this.#view = view;
  }

  /** How many changes this replica's own requests have recorded (a read compares it to know it changed something). */
  #recorded = 0;

  record(patch: DocumentPatch): void {
    this.version++;
    if (this.#applying) return;
    this.#pending.push(JSON.stringify(patch));
    this.#recorded++;
  }

  /** Whether this replica seeds the sandbox: the first to ask (SET NX), once for the sandbox's life. */
  async claimSeed(): Promise<boolean> {
    return (
      (await this.#redis.run((client) => client.set(this.#keys.seeded, String(Date.now()), { condition: 'NX' }))) ===
      'OK'
    );
  }

  /** Drops the view: it is reloaded from Redis before anything reads it again. */
  #drop(): void {
    this.#pos = -1;
    this.#pending = [];
    this.#epoch++;
  }

  /** Applies a catch-up reply (scripts.ts SYNC), in turn with any other. */
  #apply(reply: SyncReply): Promise<void> {
    // Nothing new (most catch-ups): no turn in the queue of applications.
    if (reply.length === 4 && (reply[2] as number) < 0) {
      this.scenarioVersion = reply[1] as number;
      return this.#applied;
    }
    const run = this.#applied.then(async () => {
      const [, scenarios, snapshotPos, snapshot] = reply as [number, number, number, string];
      this.scenarioVersion = scenarios;
      // Everything is prepared first (a document checked, its keys built: asynchronous), then applied in one
      // synchronous step: no request runs on a half-applied view, and none records a change meanwhile.
      const load =
        snapshotPos >= 0
          ? await this.#view!.prepareLoad(snapshot ? (JSON.parse(snapshot) as StateDocument) : undefined)
          : undefined;
      const from = load ? snapshotPos : this.#pos;
      const entries: { seq: number; steps: (() => void)[] }[] = [];
      for (let i = 4; i < reply.length; i += 2) {
        const seq = parseInt(reply[i] as string, 10);
        if (seq <= from) continue; // our own commit, already in the view
        const steps: (() => void)[] = [];
        for (const patch of JSON.parse(reply[i + 1] as string) as DocumentPatch[])
          steps.push(await this.#view!.prepare(patch));
        entries.push({ seq, steps });
      }
      // Anything derived from the view (the read cache) is stale once others' changes are in it.
      if (load || entries.length) this.version++;
      this.#applying = true;
      try {
        if (load) {
          // Changes of reads not committed yet are gone with the view they were made in.
          if (this.#pending.length) this.#drop();
          load();
          this.#snapshotBytes = snapshot.length;
          this.#pos = snapshotPos;
        }
        for (const { seq, steps } of entries) {
          if (seq <= this.#pos) continue;
          if (this.#pending.length) this.#drop(); // another replica wrote over uncommitted changes of ours
          if (this.#pos < 0) return; // dropped: reloaded before anything reads it
          for (const step of steps) step();
          this.#pos = seq;
        }
      } finally {
        this.#applying = false;
      }
    });
    this.#applied = run.catch(() => {});
    return run.catch((cause) => {
      this.#drop();
      throw cause;
    });
  }

  /** Fetches and applies what this replica lacks; reads arriving while one is in flight share the next. */
  #catchUp(): Promise<void> {
    if (!this.#fetching) return (this.#fetching = this.#fetch());
    return (this.#queued ??= this.#fetching
      .catch(() => {})
      .then(() => {
        this.#queued = undefined;
        return (this.#fetching = this.#fetch());
      }));
  }

  async #fetch(): Promise<void> {
    try {
      await this.#apply(await this.#redis.run((client) => client.logSync(this.#keys, this.#pos)));
      // Others wrote over changes of ours not yet committed: the view was dropped; reload it.
      if (this.#pos < 0) await this.#apply(await this.#redis.run((client) => client.logSync(this.#keys, -1)));
    } finally {
      this.#fetching = undefined;
    }
  }

  /**
   * Brings the view up to date for a request; `writes`: it may change state, so it holds the sandbox's lock
   * until `end`. The request's changes are committed by `end` (undefined when it made none, or was a write).
   */
  async begin(writes: boolean): Promise<StoreTransaction> {
    if (!writes) {
      if (this.#critical) await this.#critical;
      await this.#catchUp();
      const epoch = this.#epoch;
      const before = this.#recorded;
      return {
        // A read that changed something commits it as a write would; if others wrote meanwhile, it starts again.
        // So does a read that may have seen another local request's changes not kept yet: it waits for them.
        end: async () => {
          if (this.#epoch !== epoch) throw new RetryRequest();
          if (this.#recorded === before && !this.#pending.length) {
            if (this.#sent !== this.#pos) await this.#lastCommit.catch(() => {});
            if (this.#epoch !== epoch) throw new RetryRequest();
            return;
          }
          const write = await this.begin(true);
          if (this.#epoch !== epoch) {
            await write.end();
            throw new RetryRequest();
          }
          await write.end();
        },
      };
    }
    this.#waiting++;
    let release!: () => void;
    const previous = this.#writes;
    this.#writes = new Promise((resolve) => (release = resolve));
    await previous;
    this.#waiting--;
    let endCritical: (() => void) | undefined;
    try {
      // Still held from the previous local write: nobody else has written since, nothing to catch up.
      if (!this.#hold) {
        const token = randomUUID();
        const deadline = Date.now() + LOCK_WAIT_MS;
        let reply: SyncReply | null;
        // A lock this replica held when a commit failed is taken back at once, not after its time runs out.
        const previousToken = this.#lostToken ?? '';
        for (
          let wait = 1;
          !(reply = await this.#redis.run((client) =>
            client.logAcquire(this.#keys, token, LOCK_TTL_MS, this.#pos, previousToken),
          ));
          wait = Math.min(wait * 2, 20)
        ) {
          if (Date.now() > deadline)
            throw new StoreUnavailableError(
              `the sandbox's write lock was held by another replica for over ${LOCK_WAIT_MS / 1000} s`,
            );
          await pause(wait);
        }
        this.#lostToken = undefined;
        this.#critical = new Promise((resolve) => (endCritical = resolve));
        try {
          await this.#apply(reply);
          if (this.#pos < 0) await this.#apply(await this.#redis.run((client) => client.logSync(this.#keys, -1)));
        } catch (cause) {
          await this.#redis.run((client) => client.logRelease(this.#keys, token)).catch(() => {});
          throw cause;
        }
        this.#sent = this.#pos;
        this.#hold = { token, writes: 0, since: Date.now() };
      } else this.#critical = new Promise((resolve) => (endCritical = resolve));
    } catch (cause) {
      this.#critical = undefined;
      endCritical?.();
      release();
      throw cause;
    }
    const hold = this.#hold!;
    return {
      end: async () => {
        let committed: Promise<void>;
        try {
          // Keep the lock for the next local write when one waits (its changes build on these, its commit
          // follows this one on the same connection), within a bound so other replicas get their turn.
          hold.writes++;
          const keep =
            this.#hold === hold &&
            this.#waiting > 0 &&
            hold.writes < HOLD_MAX_WRITES &&
            Date.now() - hold.since < HOLD_MAX_MS;
          if (!keep && this.#hold === hold) this.#hold = undefined;
          committed = this.#commit(hold.token, keep);
        } finally {
          this.#critical = undefined;
          endCritical!();
          release();
        }
        await committed;
      },
    };
  }

  /**
   * Appends what is pending (with a snapshot when the log outgrew it) and releases the lock unless `keep`, in one
   * script that checks the lock is still this hold's and the log is where this replica's commits left it.
   * Sent at once (before awaiting anything): commits of one hold go out in order.
   */
  async #commit(token: string, keep: boolean): Promise<void> {
    const compact = this.#logBytes > Math.max(COMPACT_MIN_BYTES, 2 * this.#snapshotBytes);
    // Exported first: an export may itself record a change (a default account made on first look).
    const snapshot = compact ? JSON.stringify(this.#view!.export()) : '';
    if (compact) this.#logBytes = 0;
    const data = this.#pending.length ? `[${this.#pending.join(',')}]` : '';
    this.#pending = [];
    const expected = this.#sent;
    if (data) this.#sent++;
    let reply: [number, number, number] | number;
    try {
      const sent = this.#redis.run((client) => client.logCommit(this.#keys, token, data, snapshot, keep, expected));
      this.#lastCommit = sent.then(
        () => {},
        () => {},
      );
      reply = (await sent) as [number, number, number] | number;
    } catch (cause) {
      this.#lose(token);
      throw cause;
    }
    if (typeof reply === 'number') {
      this.#lose(token);
      throw new StoreUnavailableError(
        reply === -1
          ? `this replica's write took over ${LOCK_TTL_MS / 1000} s and lost the sandbox's write lock; the change was not kept`
          : 'an earlier change of this replica was not kept, so this one, made on top of it, was not either',
      );
    }
    [this.#pos, this.#logBytes, this.#snapshotBytes] = reply;
  }

  /** A commit failed: the view is dropped, and the lock this hold may still have is taken back by the next write. */
  #lose(token: string): void {
    this.#drop();
    if (this.#hold?.token === token) this.#hold = undefined;
    this.#lostToken = token;
  }

  /** Why the store cannot be used now, or undefined. */
  problem(): string | undefined {
    return this.#redis.problem();
  }
}
