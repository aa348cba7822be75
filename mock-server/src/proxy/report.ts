/**
 * What the proxy and the probe learn, kept for `GET /__proxy/report` and the Markdown summary: each violation
 * (the exchange, what the contract expects, what came back, the assumptions it contradicts) and, per
 * assumption, how many exchanges confirmed or contradicted it, with one example of each.
 *
 * Keys never reach a report whole: every text recorded is scrubbed of the presented credential and of
 * anything shaped like a key, leaving the masked prefix the mock's logs show.
 */
import { maskKey } from '../auth/index.ts';
import { apiModel, type ApiName } from '../model/index.ts';
import type { Assumption, Links } from './links.ts';
import type { CheckName, Verdict } from './validate.ts';

export interface ExchangeRef {
  method: string;
  path: string;
  status: number;
  operation?: string;
}

export interface Violation extends ExchangeRef {
  check: CheckName;
  expected: string;
  actual: string;
  /** The assumptions this contradicts; empty when the check rests on the published docs alone. */
  assumptions: string[];
  /** The key's masked prefix. */
  key?: string;
}

export interface AssumptionTally extends Assumption {
  confirmed: number;
  contradicted: number;
  confirmedBy?: ExchangeRef;
  contradictedBy?: Violation;
}

export interface UpstreamFailure {
  method: string;
  path: string;
  status: number;
  message: string;
  key?: string;
}

export interface ProxyReport {
  api: ApiName;
  title: string;
  /** Exchanges checked (answers from upstream; not the proxy's own 502/504). */
  requests: number;
  /** All violations seen; `violations` keeps the first MAX_KEPT. */
  violationCount: number;
  violations: Violation[];
  assumptions: AssumptionTally[];
  upstreamErrors: UpstreamFailure[];
}

/** Memory stays bounded however long the proxy runs: counts go on, the lists stop growing. */
export const MAX_KEPT = 1000;
/** A credential shorter than this is not treated as a secret to scrub (it would blank out ordinary words). */
const MIN_SECRET_LENGTH = 6;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Recorder {
  readonly #api: ApiName;
  readonly #prefix: string;
  readonly #keyShaped: RegExp;
  readonly #tallies: AssumptionTally[];
  readonly #byId: Map<string, AssumptionTally>;
  readonly #violations: Violation[] = [];
  readonly #upstreamErrors: UpstreamFailure[] = [];
  #requests = 0;
  #violationCount = 0;

  constructor(api: ApiName, links: Links) {
    this.#api = api;
    this.#prefix = apiModel(api).keyFormat.prefix;
    this.#keyShaped = new RegExp(`${escapeRegExp(this.#prefix)}[A-Za-z0-9_-]+`, 'g');
    this.#tallies = links.assumptions.map((assumption) => ({ ...assumption, confirmed: 0, contradicted: 0 }));
    this.#byId = new Map(this.#tallies.map((tally) => [tally.id, tally]));
  }

  /** The text with the presented credential and anything key-shaped masked. */
  scrub(text: string, secrets: readonly string[] = []): string {
    let out = text;
    for (const secret of secrets) if (secret.length >= MIN_SECRET_LENGTH) out = out.replaceAll(secret, maskKey(secret, this.#prefix));
    // Already-masked prefixes (`tvm_abcd…`) are short enough to be left alone.
    return out.replace(this.#keyShaped, (match) => (match.length > this.#prefix.length + 4 ? maskKey(match, this.#prefix) : match));
  }

  /** One checked exchange. `secrets`: the credential it presented, scrubbed from everything kept. */
  record(exchange: ExchangeRef, verdict: Verdict, secrets: readonly string[] = []): Violation[] {
    this.#requests++;
    const ref: ExchangeRef = { method: exchange.method, path: this.scrub(exchange.path, secrets), status: exchange.status, ...(verdict.operation && { operation: verdict.operation }) };
    const contradicted = new Set<string>();
    const violations: Violation[] = [];
    for (const finding of verdict.findings) {
      if (finding.passed) continue;
      for (const id of finding.assumptions) contradicted.add(id);
      violations.push({
        ...ref,
        check: finding.check,
        expected: this.scrub(finding.expected ?? '', secrets),
        actual: this.scrub(finding.actual ?? '', secrets),
        assumptions: finding.assumptions,
        ...(verdict.keyHint && { key: verdict.keyHint }),
      });
    }
    for (const violation of violations) {
      for (const id of violation.assumptions) {
        const tally = this.#byId.get(id)!;
        tally.contradictedBy ??= violation;
      }
    }
    for (const id of contradicted) this.#byId.get(id)!.contradicted++;
    const confirmed = new Set(verdict.findings.filter((finding) => finding.passed).flatMap((finding) => finding.assumptions));
    for (const id of confirmed) {
      if (contradicted.has(id)) continue;
      const tally = this.#byId.get(id)!;
      tally.confirmed++;
      tally.confirmedBy ??= ref;
    }
    this.#violationCount += violations.length;
    this.#violations.push(...violations.slice(0, Math.max(0, MAX_KEPT - this.#violations.length)));
    return violations;
  }

  /** An exchange the upstream never answered (the proxy answered 502/504 itself). */
  recordUpstreamError(failure: UpstreamFailure, secrets: readonly string[] = []): void {
    if (this.#upstreamErrors.length >= MAX_KEPT) return;
    this.#upstreamErrors.push({ ...failure, path: this.scrub(failure.path, secrets), message: this.scrub(failure.message, secrets) });
  }

  report(): ProxyReport {
    return structuredClone({
      api: this.#api,
      title: apiModel(this.#api).title,
      requests: this.#requests,
      violationCount: this.#violationCount,
      violations: this.#violations,
      assumptions: this.#tallies,
      upstreamErrors: this.#upstreamErrors,
    });
  }

  markdown(upstream?: string): string {
    return renderMarkdown(this.report(), upstream);
  }
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const exchangeText = (ref: ExchangeRef) => `\`${ref.method} ${ref.path}\` → ${ref.status}`;
const DECISION_SHOWN = 200;
const shortened = (text: string) => (text.length > DECISION_SHOWN ? `${text.slice(0, DECISION_SHOWN - 1)}…` : text);

export function renderMarkdown(report: ProxyReport, upstream?: string): string {
  const lines: string[] = [
    `# Contract check: ${report.title}`,
    '',
    `${report.requests} exchange${report.requests === 1 ? '' : 's'} checked against the contract (\`openapi/${report.api}\`, ${report.assumptions.length} assumptions)` +
      `${upstream ? ` with ${upstream}` : ''}: ${report.violationCount} violation${report.violationCount === 1 ? '' : 's'}` +
      `${report.upstreamErrors.length ? `, ${report.upstreamErrors.length} upstream error${report.upstreamErrors.length === 1 ? '' : 's'}` : ''}.`,
    '',
    '## Assumptions',
    '',
    '| Assumption | Confirmed by | Contradicted by | Example |',
    '|---|---:|---:|---|',
  ];
  for (const tally of report.assumptions) {
    const examples = [
      tally.contradictedBy && `✗ ${exchangeText(tally.contradictedBy)}: expected ${tally.contradictedBy.expected}; got ${tally.contradictedBy.actual}`,
      tally.confirmedBy && `✓ ${exchangeText(tally.confirmedBy)}`,
    ].filter(Boolean);
    lines.push(`| **${tally.id}** ${cell(shortened(tally.decision))} | ${tally.confirmed} | ${tally.contradicted} | ${cell(examples.join('<br>') || 'not exercised')} |`);
  }
  lines.push('', '## Violations', '');
  if (!report.violations.length) lines.push('None: every exchange matched the contract.');
  else {
    lines.push('| # | Exchange | Check | Expected | Got | Contradicts |', '|---:|---|---|---|---|---|');
    report.violations.forEach((violation, index) => {
      const exchange = `${exchangeText(violation)}${violation.operation ? ` (${violation.operation})` : ''}${violation.key ? `, key \`${violation.key}\`` : ''}`;
      lines.push(`| ${index + 1} | ${cell(exchange)} | ${violation.check} | ${cell(violation.expected)} | ${cell(violation.actual)} | ${violation.assumptions.join(', ') || 'the published docs'} |`);
    });
    if (report.violationCount > report.violations.length) lines.push('', `(${report.violationCount - report.violations.length} more not listed.)`);
  }
  if (report.upstreamErrors.length) {
    lines.push('', '## Upstream errors', '', 'The proxy answered these itself, in the API’s error envelope:', '');
    for (const failure of report.upstreamErrors) lines.push(`- \`${failure.method} ${failure.path}\` → ${failure.status}: ${failure.message}`);
  }
  return `${lines.join('\n')}\n`;
}
