/**
 * CORS, on request only: off by default (a preflight is just an unknown route), `--cors` for every origin,
 * `--cors <origins>` for a list. A preflight is answered without a key; answers expose X-RateLimit-*.
 */
import { describe, expect, it } from 'vitest';
import { CliError, cliHelp, parseCliOptions } from '../../mock-server/src/cli-options.ts';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { useMock, type MockHandle } from '../helpers/mock.ts';

const PAGE = 'http://localhost:5173';
const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
const preflight = (origin: string, method = 'POST', headers = 'authorization, content-type') => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
});
/** Preflights are the Node adapter's, not an operation of the spec: sent past the conformance checker. */
const raw = (mock: MockHandle, path: string, init: RequestInit) => fetch(mock.server.url + path, init);
const corsHeaders = (headers: Headers) =>
  Object.fromEntries([...headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'));

describe('without --cors', () => {
  const mock = useMock('tvm');
  it('answers no preflight and sends no CORS header, so a browser refuses the answers', async () => {
    const answer = await mock.send('/v1/offers', preflight(PAGE));
    expect([answer.status, corsHeaders(answer.headers)]).toEqual([404, {}]);
    const read = await mock.send('/v1/shop', { headers: { ...admin, origin: PAGE } });
    expect([read.status, corsHeaders(read.headers)]).toEqual([200, {}]);
  });
});

describe('--cors (every origin)', () => {
  const mock = useMock('tvm', { cors: true });
  it('answers a preflight without a key: the methods and headers the API takes', async () => {
    const answer = await raw(mock, '/v1/offers/offer_abc123', preflight('https://anything.example'));
    expect([answer.status, await answer.text()]).toEqual([204, '']);
    expect(corsHeaders(answer.headers)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, PUT, POST, DELETE, PATCH',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
      vary: 'Access-Control-Request-Headers',
      'access-control-expose-headers': 'x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset',
    });
    expect((await mock.send('/__mock/requests?method=OPTIONS')).json.requests).toEqual([]); // never reached the API
  });

  it('lets a page read every answer, errors included, and the rate-limit headers', async () => {
    for (const init of [{ headers: { ...admin, origin: PAGE } }, { headers: { origin: PAGE } }]) {
      const answer = await mock.send('/v1/shop', init);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('access-control-expose-headers')).toBe(
        'x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset',
      );
    }
  });

  it('leaves an OPTIONS that is no preflight to the API (a 404 in its envelope)', async () => {
    expect((await mock.send('/v1/shop', { method: 'OPTIONS' })).status).toBe(404);
  });
});

describe("a preflight asking for a page's own headers (Sentry's sentry-trace and baggage)", () => {
  const mock = useMock('tvm', { cors: [PAGE] });
  it('allows the headers asked for, reflected as Prism and WireMock do', async () => {
    const answer = await raw(mock, '/v1/shop', preflight(PAGE, 'GET', 'authorization, sentry-trace, baggage'));
    expect([
      answer.status,
      answer.headers.get('access-control-allow-headers'),
      answer.headers.get('access-control-allow-credentials'),
    ]).toEqual([204, 'authorization, sentry-trace, baggage', null]);
    const read = await mock.send('/v1/shop', {
      headers: {
        ...admin,
        origin: PAGE,
        'sentry-trace': '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1',
        baggage: 'sentry-environment=dev',
      },
    });
    expect([read.status, read.headers.get('access-control-allow-origin')]).toEqual([200, PAGE]);
  });
});

describe('--cors --cors-credentials', () => {
  const mock = useMock('tvm', { cors: true, corsCredentials: true });
  it('allows credentials and names the origin instead of *, on the preflight and on answers', async () => {
    const answer = await raw(mock, '/v1/shop', preflight('https://app.example.com', 'GET', 'authorization'));
    expect(corsHeaders(answer.headers)).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      vary: 'Origin, Access-Control-Request-Headers',
    });
    const read = await mock.send('/v1/shop', { headers: { ...admin, origin: PAGE } });
    expect([
      read.headers.get('access-control-allow-origin'),
      read.headers.get('access-control-allow-credentials'),
      read.headers.get('vary'),
    ]).toEqual([PAGE, 'true', 'Origin']);
  });
});

describe('--cors <origins>', () => {
  const mvo = useMock('mvo', { cors: [PAGE, 'https://app.example.com'] });
  it('allows the listed origins only, varying on Origin; the preflight lists MVO credential headers', async () => {
    const allowed = await raw(mvo, '/api/customers', preflight(PAGE, 'POST', 'x-api-key, content-type'));
    expect(corsHeaders(allowed.headers)).toMatchObject({
      'access-control-allow-origin': PAGE,
      vary: 'Origin, Access-Control-Request-Headers',
      'access-control-allow-headers': 'x-api-key, content-type',
    });
    // A preflight that asks for no header gets the ones the API and the mock read.
    const plain = await raw(mvo, '/api/customers', {
      method: 'OPTIONS',
      headers: { origin: PAGE, 'access-control-request-method': 'GET' },
    });
    expect(plain.headers.get('access-control-allow-headers')).toBe(
      'x-api-key, authorization, content-type, prefer, x-mock-latency, x-mock-token',
    );
    const refused = await raw(mvo, '/api/customers', preflight('http://evil.example'));
    expect([refused.status, await refused.json(), refused.headers.get('access-control-allow-origin')]).toEqual([
      403,
      {
        error: 'Forbidden',
        message: `Origin http://evil.example is not allowed: this mock allows ${PAGE}, https://app.example.com (--cors / MOCK_CORS)`,
      },
      null,
    ]);
    const other = await mvo.send('/api/customers/1', { headers: { origin: 'http://evil.example' } });
    expect([other.headers.get('access-control-allow-origin'), other.headers.get('vary')]).toEqual([null, 'Origin']);
    const listed = await mvo.send('/api/customers/1', { headers: { origin: 'https://app.example.com' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });
});

describe('the CLI', () => {
  it.each([
    [['--cors'], {}, true],
    [['--cors', '--quiet'], {}, true],
    [['--cors', `${PAGE},https://app.example.com`], {}, [PAGE, 'https://app.example.com']],
    [['--cors=*'], {}, true],
    [[], { MOCK_CORS: '*' }, true],
    [[], { MOCK_CORS: PAGE }, [PAGE]],
    [[], { MOCK_CORS: 'off' }, undefined],
    [[], {}, undefined],
  ])('%j with %j → %j', (argv, env, cors) => {
    expect(parseCliOptions(argv, env).cors).toEqual(cors);
  });

  it.each(['localhost:5173', 'http://localhost:5173/', 'http://localhost:5173/app', 'ftp://files.example'])(
    'refuses %s, saying what an origin is',
    (origin) => {
      expect(() => parseCliOptions(['--cors', origin], {})).toThrow(CliError);
      expect(() => parseCliOptions(['--cors', origin], {})).toThrow(
        `--cors / MOCK_CORS: "${origin}" is not an origin; write scheme://host[:port] with no path, e.g. http://localhost:5173`,
      );
    },
  );

  it('says in --help why CORS is off by default', () => {
    expect(cliHelp()).toMatch(/--cors \[origin,origin…\]/);
    expect(cliHelp()).toMatch(/both APIs' keys are server-side only/);
  });
});
