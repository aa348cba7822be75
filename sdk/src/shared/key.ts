/**
 * @module
 * Start-up checks, each a plain function that throws a {@link ConfigurationError} with a message saying how
 * to fix it: where the key comes from, whether it is well formed, whether it belongs to the other API,
 * and whether we run server-side. No key is ever quoted whole: see `maskKey` (mask.ts).
 */
import { ConfigurationError } from './errors.js';
import { maskKey } from './mask.js';

/** What the key checks need to know about one API (all read from its generated `facts`). */
export interface KeyFacts {
  readonly apiTitle: string;
  readonly envVar: string;
  readonly keyPrefix: string;
  readonly keyPattern: string;
  readonly keyFormatText: string;
}

/** Which client to name when a key of the other API is given. */
export interface OtherApi {
  readonly keyPrefix: string;
  readonly apiTitle: string;
  readonly factory: string;
  readonly entryPoint: string;
}

function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.[name];
}

/** The key to use: `apiKey` if given, else the API's environment variable; checked against the spec's format. */
export function resolveApiKey(apiKey: string | undefined, facts: KeyFacts, factory: string, other: OtherApi): string {
  const fromEnv = apiKey === undefined;
  const key = fromEnv ? readEnv(facts.envVar) : apiKey;
  if (!key) {
    throw new ConfigurationError(
      `${factory}: no API key. Set the ${facts.envVar} environment variable or pass \`apiKey\` ` +
        `(a key for ${facts.apiTitle}: ${facts.keyFormatText}).`,
    );
  }
  const source = fromEnv ? `the ${facts.envVar} environment variable` : 'the `apiKey` option';
  if (typeof key !== 'string') throw new ConfigurationError(`${factory}: \`apiKey\` must be a string.`);
  if (key.startsWith(other.keyPrefix) && !key.startsWith(facts.keyPrefix)) {
    throw new ConfigurationError(
      `${factory}: ${source} holds a key for ${other.apiTitle} (${maskKey(key, other.keyPrefix)}). ` +
        `Use ${other.factory} from '${other.entryPoint}' for it; ${factory} needs a key for ${facts.apiTitle} ` +
        `(${facts.keyFormatText}).`,
    );
  }
  if (!new RegExp(facts.keyPattern).test(key)) {
    throw new ConfigurationError(
      `${factory}: ${source} is not a well-formed key for ${facts.apiTitle}: expected ${facts.keyFormatText}, ` +
        `got ${JSON.stringify(maskKey(key, facts.keyPrefix))} (${key.length} characters). ` +
        'Copy the whole key again; look for missing characters or stray whitespace.',
    );
  }
  return key;
}

/** A function that replaces every occurrence of `key` in a text by its masked form. */
export function redactor(key: string, prefix: string): (text: string) => string {
  const masked = maskKey(key, prefix);
  return (text) => text.split(key).join(masked);
}

/** Throws in a browser-like runtime (`window` or `document` defined) unless the caller opted in. */
export function assertServerSide(dangerouslyAllowBrowser: boolean | undefined, factory: string): void {
  if (dangerouslyAllowBrowser === true) return;
  const g = globalThis as { window?: unknown; document?: unknown };
  if (typeof g.window !== 'undefined' || typeof g.document !== 'undefined') {
    throw new ConfigurationError(
      `${factory}: this looks like a browser (\`window\`/\`document\` exist). An API key in browser code is ` +
        'readable by anyone who opens the page, so call the API from your server. If you accept that risk ' +
        '(e.g. each user types their own key into an internal tool), pass `dangerouslyAllowBrowser: true`.',
    );
  }
}
