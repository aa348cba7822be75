/** An environment variable where the runtime has `process.env` (Node, Bun, Deno's Node compatibility); else `undefined`. */
export function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.[name];
}
