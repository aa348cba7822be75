/**
 * The landing page's addresses: built with the defaults of `npm start`, replaced here by the ones the docs
 * server reports (`__docs/local.json`), so a reader who started the mocks on other ports sees those. Every
 * element with `data-origin="docs|mvo|tvm"` holds one origin; a mock that is not running says so.
 */
import { LOCAL_SERVERS_PATH, type LocalServers, type MockApi } from './local-api.ts';

const status = document.getElementById('local-servers-status');

void fetch(new URL(LOCAL_SERVERS_PATH, document.baseURI))
  .then((response) => (response.ok ? (response.json() as Promise<LocalServers>) : undefined))
  .catch(() => undefined)
  .then((servers) => {
    if (!servers) return;
    for (const element of document.querySelectorAll<HTMLElement>('[data-origin]')) {
      const name = element.dataset.origin!;
      const origin = name === 'docs' ? servers.docs : servers.mocks[name as MockApi];
      element.textContent = origin ?? `(the ${name.toUpperCase()} mock is not running)`;
    }
    if (status) status.textContent = 'These are the addresses this docs server and its mocks run on now.';
  });
