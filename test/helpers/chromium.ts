/**
 * The one way the browser suites start Chromium: Debian's package (`apt-get install chromium`; Playwright's own
 * download cannot work offline), headless, without the sandbox (CI runs as root) and without the background
 * traffic (updates, sync, first-run pages) that a test neither needs nor should wait behind.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
