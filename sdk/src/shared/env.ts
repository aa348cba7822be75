/**
 * An environment variable where the runtime has `process.env` (Node, Bun, Deno's Node compatibility); else
 * `undefined`. A runtime that denies the read (Deno without `--allow-env` for that name throws `NotCapable`)
 * counts as "not set": an optional setting such as the log level must never stop a client from being created.
 */
export function readEnv(name: string): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    return env?.[name];
  } catch {
    return undefined;
  }
}
