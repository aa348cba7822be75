/**
 * The proxy's verdicts, drift by drift (drifts.ts): the same session through the proxy to a stand-in that
 * drifts in one way must report exactly that drift, charged to the right assumption (or the published docs),
 * and nothing else; against the undrifted mock it must report nothing at all (no false alarm) and confirm the
 * assumptions the session exercised. In-process servers on port 0; each row is its own stand-in and proxy.
 */
import { describe, expect, it } from 'vitest';
import type { ApiName } from '../../mock-server/src/model/index.ts';
import { startProxy, type ProxyReport } from '../../mock-server/src/proxy/index.ts';
import { DRIFTS, SESSIONS, type Call, type Force } from './drifts.ts';
import { startStandIn, type Deviation } from './stand-in.ts';

async function run(api: ApiName, deviate?: Deviation): Promise<ProxyReport> {
  const standIn = await startStandIn(api, { deviate });
  const proxy = await startProxy({ api, target: standIn.url, port: 0 });
  try {
    const call: Call = async (path, init = {}) => {
      const response = await fetch(proxy.url + path, init);
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, json };
    };
    const force: Force = async (scenario) => {
      const response = await fetch(`${standIn.url}/__mock/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...scenario, count: 1 }),
      });
      if (response.status !== 201)
        throw new Error(`the stand-in refused the scenario: ${response.status} ${await response.text()}`);
    };
    await SESSIONS[api](call, force);
    return proxy.report();
  } finally {
    await proxy.close();
    await standIn.close();
  }
}

const verdicts = (entries: { check: string; assumptions: string[] }[]) =>
  [...new Set(entries.map((entry) => `${entry.check} ${entry.assumptions.join(',') || 'docs'}`))].sort();
const noteTexts = (report: ProxyReport) =>
  [...new Set(report.notes.map((note) => `${note.check} ${note.actual.replace(/^undocumented field /, '')}`))].sort();

describe.each<ApiName>(['tvm', 'mvo'])('%s: drifts and their verdicts', (api) => {
  it('matching traffic (the mock itself as upstream): no violation, no note, the exercised assumptions confirmed', async () => {
    const report = await run(api);
    expect(report.violations).toEqual([]);
    expect(report.notes).toEqual([]);
    expect(report.assumptions.filter((tally) => tally.verdict === 'contradicted')).toEqual([]);
    const confirmed = report.assumptions.filter((tally) => tally.verdict === 'confirmed').map((tally) => tally.id);
    const checkable = report.assumptions.filter((tally) => tally.checkable).map((tally) => tally.id);
    // Every assumption a drift below contradicts is one the session also confirms when nothing drifts.
    for (const drift of DRIFTS[api])
      for (const line of drift.violations)
        for (const id of line.split(' ')[1].split(','))
          if (id !== 'docs') expect(confirmed, `${drift.name}: ${id}`).toContain(id);
    // The session exercises every assumption that traffic can show: with nothing drifting, each is confirmed.
    expect(checkable.filter((id) => !confirmed.includes(id))).toEqual([]);
  });

  it.each(DRIFTS[api].map((drift) => [drift.name, drift] as const))('%s', async (_name, drift) => {
    const report = await run(api, drift.deviate);
    expect(verdicts(report.violations)).toEqual([...drift.violations].sort());
    expect(noteTexts(report)).toEqual((drift.notes ?? []).map((note) => note).sort());
    // Each assumption charged is contradicted in the table an integrator reads, never shown as confirmed.
    for (const line of drift.violations) {
      for (const id of line.split(' ')[1].split(','))
        if (id !== 'docs')
          expect(report.assumptions.find((tally) => tally.id === id)?.verdict, id).toBe('contradicted');
    }
    // A violation is listed once, however many exchanges showed it.
    expect(
      new Set(report.violations.map((v) => JSON.stringify([v.method, v.operation, v.status, v.check, v.expected])))
        .size,
    ).toBe(report.violations.length);
  });
});
