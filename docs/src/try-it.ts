/**
 * "Try it, locally": a panel under each operation's request samples that sends the request to the local mock
 * and shows the status, headers and body. Part of the reference pages' script (reference-page.ts); the page's
 * operations (`TryItManifest`, read from the spec at build time) are in a JSON script tag.
 *
 * Where requests go: only to `__try/{mvo|tvm}/…` on the page's own origin, which the docs server forwards to
 * the local mock (docs/serve.ts accepts loopback mocks only). Nothing is sent to the real APIs, to any other
 * host, or anywhere at all until the reader presses "Send".
 *
 * Keys: minted on the spot through the mock's control API with the scope the reader picks (the operation's own
 * by default), kept in this page's memory only, and shown by id and prefix, never whole.
 *
 * Redoc renders operations lazily and may re-render them, so reference-page.ts (re)attaches panels on every render.
 */
import { LOCAL_SERVERS_PATH, type LocalServers, type MockApi, TRY_IT_PREFIX } from './local-api.ts';
import {
  MANIFEST_ELEMENT_ID,
  PANEL_CLASS,
  type TryItManifest,
  type TryItOperation,
  type TryItParameter,
} from './try-it-manifest.ts';

// ── Private values ──────────────────────────────────────────────────────────────────────────────────

const NO_KEY = '';
/** The key choice of an API without scopes. */
const ANY_SCOPE = '*any*';
const TARGET_NAMES: Record<MockApi, string> = { mvo: 'MVO', tvm: 'TVM' };

const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding']);

type MintedKey = { id: string; prefix: string; key: string };

let localServers: Promise<LocalServers | undefined> | undefined;
/** Minted keys, by target and scope: reused while the mock still knows them. */
const minted = new Map<string, MintedKey>();

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

/** Adds a panel under every rendered operation's request samples that has none yet; cheap when all have one. */
export function attachTryItPanels(manifest: TryItManifest) {
  for (const samples of document.querySelectorAll<HTMLElement>('.panel-request-samples'))
    attachPanel(manifest, samples);
}

/** The manifest scripts/build-docs.ts put in the page, if any. */
export function readManifest(): TryItManifest | undefined {
  const element = document.getElementById(MANIFEST_ELEMENT_ID);
  return element?.textContent ? (JSON.parse(element.textContent) as TryItManifest) : undefined;
}

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function attachPanel(manifest: TryItManifest, samples: HTMLElement) {
  if (samples.nextElementSibling?.classList.contains(PANEL_CLASS)) return;
  const sectionId = samples.closest('[data-section-id]')?.getAttribute('data-section-id') ?? '';
  const operation = manifest.operations[sectionId.split('/').pop() ?? ''];
  if (operation) samples.after(panel(manifest, operation));
}

function panel(manifest: TryItManifest, operation: TryItOperation): HTMLElement {
  const id = `vc-try-${operation.operationId}`;
  const note = h(
    'p',
    { class: 'vc-try-note' },
    'Sends this request only to your local mock, through this docs server. Nothing goes to the real API or anywhere else.',
  );
  // The control API's page can send to either mock; an API's own page only to its mock.
  const target =
    manifest.targets.length > 1
      ? h(
          'select',
          { name: 'target', id: `${id}-target` },
          ...manifest.targets.map((api) => h('option', { value: api }, `${TARGET_NAMES[api]} mock`)),
        )
      : undefined;
  const targetApi = () => (target?.value ?? manifest.targets[0]) as MockApi;
  const key = keyChoice(manifest, operation, id);
  const keyStatus = h('p', { class: 'vc-try-key', 'aria-live': 'polite' });
  const inputs = operation.parameters.map((parameter) => parameterInput(id, parameter));
  const body = operation.body
    ? h('textarea', {
        name: 'body',
        id: `${id}-body`,
        rows: String(Math.min(14, operation.body.example.split('\n').length + 1)),
        spellcheck: 'false',
      })
    : undefined;
  if (body && operation.body) body.value = operation.body.example;
  const send = h('button', { type: 'submit', class: 'vc-try-send' }, 'Send to the local mock');
  const result = h('div', { class: 'vc-try-result', 'aria-live': 'polite' });

  const form = h(
    'form',
    { class: 'vc-try-form' },
    note,
    ...(target ? [field(target.id, 'Mock', target)] : []),
    ...(key
      ? [field(key.id, manifest.scopes ? 'Key, minted on the local mock with the scope' : 'Key', key), keyStatus]
      : []),
    ...inputs.map(({ label }) => label),
    ...(body && operation.body ? [field(body.id, `Body (${operation.body.contentType})`, body)] : []),
    send,
    result,
  );
  const details = h(
    'details',
    { class: PANEL_CLASS, 'data-operation': operation.operationId },
    h(
      'summary',
      {},
      h('span', { class: 'vc-try-title' }, 'Try it, locally'),
      h('span', { class: 'vc-try-hint' }, 'sends to your local mock only'),
    ),
    form,
  );

  const refresh = () =>
    void loadLocalServers().then((servers) => {
      const api = targetApi();
      const origin = servers?.mocks[api];
      note.textContent = origin
        ? `Sends this request only to your local ${TARGET_NAMES[api]} mock (${origin}), through this docs server. Nothing goes to the real API or anywhere else.`
        : `No local ${TARGET_NAMES[api]} mock is reachable from this page, so nothing can be sent. Open the docs through \`npm start\`: it serves them with both mocks.`;
      send.disabled = !origin;
    });
  details.addEventListener('toggle', () => details.open && refresh());
  target?.addEventListener('change', refresh);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send.disabled = true;
    void run(manifest, operation, {
      api: targetApi(),
      scope: key?.value,
      values: inputs.map(({ parameter, input }) => [parameter, input.value] as const),
      body: body?.value,
      keyStatus,
      result,
    }).finally(() => (send.disabled = false));
  });
  return details;
}

const field = (id: string, text: string, control: HTMLElement) =>
  h('label', { for: id, class: 'vc-try-field' }, h('span', {}, text), control);

/** The key picker: each scope of the catalogue (the operation's first), or one key for an API without scopes; or none. */
function keyChoice(manifest: TryItManifest, operation: TryItOperation, id: string): HTMLSelectElement | undefined {
  const credential = operation.credential;
  if (!credential) return undefined;
  const scopes = manifest.scopes ? Object.keys(manifest.scopes) : [];
  const needed = (scope: string) => credential.scopes.includes(scope);
  const ordered = [...scopes.filter(needed), ...scopes.filter((scope) => !needed(scope))];
  const options = scopes.length
    ? ordered.map((scope) =>
        h(
          'option',
          { value: scope, title: manifest.scopes![scope] },
          `${scope}${needed(scope) ? ' (needed here)' : ''}`,
        ),
      )
    : [h('option', { value: ANY_SCOPE }, 'Mint a mock key')];
  return h(
    'select',
    { name: 'key', id: `${id}-key` },
    ...options,
    h('option', { value: NO_KEY }, 'No key (expect 401)'),
  );
}

function parameterInput(
  id: string,
  parameter: TryItParameter,
): { parameter: TryItParameter; input: HTMLInputElement; label: HTMLElement } {
  const inputId = `${id}-${parameter.in}-${parameter.name}`;
  const input = h('input', {
    type: 'text',
    name: parameter.name,
    id: inputId,
    'data-in': parameter.in,
    spellcheck: 'false',
  });
  input.value = parameter.example;
  if (parameter.required) input.required = true;
  if (parameter.description) input.title = parameter.description;
  const text = `${parameter.name} (${parameter.in}${parameter.required ? ', required' : ''})`;
  return { parameter, input, label: field(inputId, text, input) };
}

function loadLocalServers(): Promise<LocalServers | undefined> {
  localServers ??= fetch(new URL(LOCAL_SERVERS_PATH, document.baseURI))
    .then((response) => (response.ok ? (response.json() as Promise<LocalServers>) : undefined))
    .catch(() => undefined);
  return localServers;
}

const tryUrl = (api: MockApi, pathAndQuery: string) =>
  new URL(`${TRY_IT_PREFIX}${api}${pathAndQuery}`, document.baseURI);

async function mint(manifest: TryItManifest, api: MockApi, scope: string): Promise<MintedKey> {
  const name = `Docs "Try it"${scope === ANY_SCOPE ? '' : ` (${scope})`}`;
  const response = await fetch(tryUrl(api, manifest.mintPath), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(scope === ANY_SCOPE ? { name } : { name, scopes: [scope] }),
  });
  const answer = await response.json().catch(() => undefined);
  if (response.status !== 201 || typeof answer?.key !== 'string')
    throw new Error(`Could not mint a key: the mock answered ${response.status} ${JSON.stringify(answer)}`);
  return { id: answer.id, prefix: answer.prefix, key: answer.key };
}

type RunInput = {
  api: MockApi;
  scope?: string;
  values: (readonly [TryItParameter, string])[];
  body?: string;
  keyStatus: HTMLElement;
  result: HTMLElement;
};

async function run(manifest: TryItManifest, operation: TryItOperation, input: RunInput) {
  input.result.replaceChildren(h('p', { class: 'vc-try-pending' }, 'Sending…'));
  try {
    let path = operation.path;
    const query = new URLSearchParams();
    const headers = new Headers();
    for (const [parameter, value] of input.values) {
      if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
      else if (value === '') continue;
      else if (parameter.in === 'query') query.append(parameter.name, value);
      else headers.set(parameter.name, value);
    }
    const search = query.toString();
    const send = async (key?: MintedKey) => {
      if (key && operation.credential)
        headers.set(operation.credential.header, `${operation.credential.valuePrefix}${key.key}`);
      const hasBody = operation.body && input.body?.trim() && !['GET', 'HEAD'].includes(operation.method);
      if (hasBody) headers.set('Content-Type', operation.body!.contentType);
      return fetch(tryUrl(input.api, `${path}${search ? `?${search}` : ''}`), {
        method: operation.method,
        headers,
        body: hasBody ? input.body : undefined,
      });
    };

    let response: Response;
    if (!operation.credential || !input.scope) {
      input.keyStatus.textContent = operation.credential ? 'No key sent: expect 401.' : '';
      response = await send();
    } else {
      const cacheKey = `${input.api} ${input.scope}`;
      const cached = minted.get(cacheKey);
      const key = cached ?? (await mint(manifest, input.api, input.scope));
      minted.set(cacheKey, key);
      response = await send(key);
      // A reused key the mock no longer knows (after `POST /__mock/reset`): mint a fresh one, once.
      if (cached && response.status === 401) {
        const fresh = await mint(manifest, input.api, input.scope);
        minted.set(cacheKey, fresh);
        response = await send(fresh);
      }
      const current = minted.get(cacheKey)!;
      input.keyStatus.textContent = `Key ${current.id} (${current.prefix}), minted on the local mock${input.scope === ANY_SCOPE ? '' : ` with scope ${input.scope}`}; kept in this page only.`;
    }
    input.result.replaceChildren(...(await describe(operation, response)));
  } catch (error) {
    input.result.replaceChildren(
      h('p', { class: 'vc-try-error' }, error instanceof Error ? error.message : String(error)),
    );
  }
}

async function describe(operation: TryItOperation, response: Response): Promise<HTMLElement[]> {
  const text = await response.text();
  let body = text;
  try {
    body = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: shown as sent.
  }
  // The connection's own headers are between this page and the docs server, not part of the mock's answer.
  const headerLines = [...response.headers]
    .filter(([name]) => !CONNECTION_HEADERS.has(name))
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
  const ok = response.status < 400;
  return [
    h(
      'p',
      { class: `vc-try-status ${ok ? 'vc-try-ok' : 'vc-try-fail'}`, 'data-status': String(response.status) },
      `${response.status} ${response.statusText}`.trim(),
      h('span', {}, ` · ${operation.method} ${operation.path}`),
    ),
    h('p', { class: 'vc-try-label' }, 'Headers'),
    h('pre', { class: 'vc-try-headers' }, headerLines),
    h('p', { class: 'vc-try-label' }, 'Body'),
    h('pre', { class: 'vc-try-body' }, body || '(empty)'),
  ];
}
