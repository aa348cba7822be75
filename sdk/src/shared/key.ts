/**
 * @module
 * Start-up checks, each a plain function that throws a {@link ConfigurationError} with a message saying how
 * to fix it: where the key comes from, whether it is well formed, whether it belongs to the other API,
 * and whether we run server-side. No key is ever quoted whole: see `maskKey` (mask.ts).
 */
import type { ApiProfile } from './apis.js';
import { readEnv } from './env.js';
import { ConfigurationError } from './errors.js';
import { maskKey } from './mask.js';

/** The key to use: `apiKey` if given, else the API's environment variable; checked against the spec's format. */
export function resolveApiKey(apiKey: string | undefined, { facts, factory }: ApiProfile, other: ApiProfile): string {
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
  if (key.startsWith(other.facts.keyPrefix) && !key.startsWith(facts.keyPrefix)) {
    throw new ConfigurationError(
      `${factory}: ${source} holds a key for ${other.facts.apiTitle} (${maskKey(key, other.facts.keyPrefix)}). ` +
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
