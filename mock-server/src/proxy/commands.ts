/**
 * The words that start the proxy's subcommands. Apart from the proxy itself so the mock's CLI can tell them
 * without loading the proxy (and the validators it imports) on every start.
 */
export const PROXY_COMMANDS = ['proxy', 'check'] as const;
export type ProxyCommand = (typeof PROXY_COMMANDS)[number];

export const isProxyCommand = (word: string | undefined): word is ProxyCommand =>
  (PROXY_COMMANDS as readonly (string | undefined)[]).includes(word);
