/** The validating proxy and the read-only probe: check the contract, and its assumptions, against a real API. */
export { startProxy, CONTROL_PREFIX, type ProxyOptions, type ValidationProxy } from './forward.ts';
export { assumptionLinks, buildLinks, type Links } from './links.ts';
export { createExchangeValidator, type CheckName, type Exchange, type Finding, type Verdict } from './validate.ts';
export {
  Recorder,
  renderMarkdown,
  type AssumptionTally,
  type Note,
  type ProxyReport,
  type Violation,
} from './report.ts';
export { readClaims, type Claim } from './claims.ts';
export { runProbe, type ProbeOptions, type ProbeResult } from './probe.ts';
