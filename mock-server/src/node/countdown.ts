/**
 * How many tasks are under way, and a promise for the moment there are none: what `close()` waits for. A counter
 * rather than a set of promises: a server starts one task per request, and this costs no allocation per task.
 */
export class Countdown {
  #count = 0;
  #waiting: (() => void)[] = [];

  /** One more task under way. */
  readonly start = (): void => {
    this.#count++;
  };

  /** A task ended. */
  readonly end = (): void => {
    if (--this.#count > 0 || this.#waiting.length === 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  };

  /** A task failed: it ended, and its error goes on (unhandled, as a bug should). */
  readonly fail = (error: unknown): never => {
    this.end();
    throw error;
  };

  get count(): number {
    return this.#count;
  }

  /** Resolves once no task is under way (at once if none is). */
  idle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiting.push(resolve));
  }
}
