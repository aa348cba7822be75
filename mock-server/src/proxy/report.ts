/**
 * What the proxy and the probe learn, kept for `GET /__proxy/report` and the Markdown summary, in four parts:
 * - violations: what the contract expects and what came back, each kind listed once (with how many times it
 *   was seen and one example exchange), charged to the assumptions whose claims failed, else the published docs;
 * - notes: what the contract does not forbid but an integrator wants to know (undocumented fields);
 * - per assumption: how many exchanges confirmed it (exercised one of its claims) or contradicted it, with one
 *   example of each; and which were never exercised, or cannot be checked by traffic at all.
 * - upstream errors: exchanges the upstream never answered (the proxy answered 502/504 itself).
 *
 * Keys never reach a report whole: every text recorded is scrubbed of the presented credential and of
 * anything shaped like a key, leaving the masked prefix the mock's logs show.
 */
import { maskKey } from '../auth/index.ts';
import { apiModel, type ApiName } from '../model/index.ts';
import { escapeRegExp } from '../shared/escape-reg-exp.ts';
import type { Assumption, Links } from './links.ts';
import type { CheckName, Verdict } from './validate.ts';

export interface ExchangeRef {
  method: string;
  path: string;
  /** The query string as sent (scrubbed), when there was one. */
  query?: string;
  status: number;
  operation?: string;
  /** The key's masked prefix. */
  key?: string;
}

export interface Violation extends ExchangeRef {
  check: CheckName;
  expected: string;
  actual: string;
  /** The assumptions whose claims this contradicts; empty when it rests on the published docs alone. */
  assumptions: string[];
  /** How many exchanges showed it (this one is the first). */
  count: number;
}

export type Note = Violation;

export type AssumptionVerdict = 'confirmed' | 'contradicted' | 'not exercised' | 'not checkable';

export interface AssumptionTally extends Assumption {
  verdict: AssumptionVerdict;
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
  /** Every violation seen, repeats included; `violations` lists each kind once (the first MAX_KEPT kinds). */
  violationCount: number;
  violations: Violation[];
  noteCount: number;
  notes: Note[];
  assumptions: AssumptionTally[];
  upstreamErrors: UpstreamFailure[];
}

/** Memory stays bounded however long the proxy runs: counts go on, the lists stop growing. */
export const MAX_KEPT = 1000;
/** A credential shorter than this is not treated as a secret to scrub (it would blank out ordinary words). */
const MIN_SECRET_LENGTH = 6;

/** What makes two violations the same kind: the operation (or path), status, check, what was expected, whom it charges. */
const kindOf = (entry: Violation) =>
  JSON.stringify([
    entry.method,
    entry.operation ?? entry.path,
    entry.status,
    entry.check,
    entry.expected,
    entry.assumptions,
    entry.operation ? '' : entry.actual,
  ]);

class Deduplicated {
  readonly list: Violation[] = [];
  readonly #byKind = new Map<string, Violation>();
  count = 0;

  add(entry: Violation): Violation {
    this.count++;
    const kind = kindOf(entry);
    const seen = this.#byKind.get(kind);
    if (seen) {
      seen.count++;
      return seen;
    }
    if (this.list.length < MAX_KEPT) {
      this.#byKind.set(kind, entry);
      this.list.push(entry);
    }
    return entry;
  }
}

export class Recorder {
  readonly #api: ApiName;
  readonly #prefix: string;
  readonly #keyShaped: RegExp;
  readonly #tallies: AssumptionTally[];
  readonly #byId: Map<string, AssumptionTally>;
  readonly #violations = new Deduplicated();
  readonly #notes = new Deduplicated();
  readonly #upstreamErrors: UpstreamFailure[] = [];
  #requests = 0;

  constructor(api: ApiName, links: Links) {
    this.#api = api;
    this.#prefix = apiModel(api).keyFormat.prefix;
    this.#keyShaped = new RegExp(`${escapeRegExp(this.#prefix)}[A-Za-z0-9_-]+`, 'g');
    this.#tallies = links.assumptions.map((assumption) => ({
      ...assumption,
      verdict: assumption.checkable ? 'not exercised' : 'not checkable',
      confirmed: 0,
      contradicted: 0,
    }));
    this.#byId = new Map(this.#tallies.map((tally) => [tally.id, tally]));
  }

  /** The text with the presented credential and anything key-shaped masked. */
  scrub(text: string, secrets: readonly string[] = []): string {
    let out = text;
    for (const secret of secrets)
      if (secret.length >= MIN_SECRET_LENGTH) out = out.replaceAll(secret, maskKey(secret, this.#prefix));
    // Already-masked prefixes (`tvm_abcd…`) are short enough to be left alone.
    return out.replace(this.#keyShaped, (match) =>
      match.length > this.#prefix.length + 4 ? maskKey(match, this.#prefix) : match,
    );
  }

  /** One checked exchange. `secrets`: the credential it presented, scrubbed from everything kept. Returns its violations. */
  record(
    exchange: { method: string; path: string; query?: string; status: number },
    verdict: Verdict,
    secrets: readonly string[] = [],
  ): Violation[] {
    this.#requests++;
    const ref: ExchangeRef = {
      method: exchange.method,
      path: this.scrub(exchange.path, secrets),
      ...(exchange.query && { query: this.scrub(exchange.query, secrets).slice(0, 500) }),
      status: exchange.status,
      ...(verdict.operation && { operation: verdict.operation }),
      ...(verdict.keyHint && { key: verdict.keyHint }),
    };
    const contradicted = new Set<string>();
    const violations: Violation[] = [];
    for (const finding of verdict.findings) {
      if (finding.passed) continue;
      const entry: Violation = {
        ...ref,
        check: finding.check,
        expected: this.scrub(finding.expected ?? '', secrets),
        actual: this.scrub(finding.actual ?? '', secrets),
        assumptions: finding.note ? [] : finding.assumptions,
        count: 1,
      };
      if (finding.note) {
        this.#notes.add(entry);
        continue;
      }
      const kept = this.#violations.add(entry);
      violations.push(entry);
      for (const id of finding.assumptions) {
        contradicted.add(id);
        this.#byId.get(id)!.contradictedBy ??= kept;
      }
    }
    for (const id of contradicted) {
      const tally = this.#byId.get(id)!;
      tally.contradicted++;
      tally.verdict = 'contradicted';
    }
    const confirmed = new Set(
      verdict.findings.filter((finding) => finding.passed).flatMap((finding) => finding.assumptions),
    );
    for (const id of confirmed) {
      if (contradicted.has(id)) continue;
      const tally = this.#byId.get(id)!;
      tally.confirmed++;
      tally.confirmedBy ??= ref;
      if (tally.verdict !== 'contradicted') tally.verdict = 'confirmed';
    }
    return violations;
  }

  /** An exchange the upstream never answered (the proxy answered 502/504 itself). */
  recordUpstreamError(failure: UpstreamFailure, secrets: readonly string[] = []): void {
    if (this.#upstreamErrors.length >= MAX_KEPT) return;
    this.#upstreamErrors.push({
      ...failure,
      path: this.scrub(failure.path, secrets),
      message: this.scrub(failure.message, secrets),
    });
  }

  report(): ProxyReport {
    return structuredClone({
      api: this.#api,
      title: apiModel(this.#api).title,
      requests: this.#requests,
      violationCount: this.#violations.count,
      violations: this.#violations.list,
      noteCount: this.#notes.count,
      notes: this.#notes.list,
      assumptions: this.#tallies,
      upstreamErrors: this.#upstreamErrors,
    });
  }

  markdown(upstream?: string): string {
    return renderMarkdown(this.report(), upstream);
  }
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const exchangeText = (ref: ExchangeRef) =>
  `\`${ref.method} ${ref.path}${ref.query ? `?${ref.query}` : ''}\` → ${ref.status}${ref.key ? ` (key \`${ref.key}\`)` : ''}`;
const DECISION_SHOWN = 200;
const shortened = (text: string) => (text.length > DECISION_SHOWN ? `${text.slice(0, DECISION_SHOWN - 1)}…` : text);
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function renderMarkdown(report: ProxyReport, upstream?: string): string {
  const by = (verdict: AssumptionVerdict) => report.assumptions.filter((tally) => tally.verdict === verdict);
  const lines: string[] = [
    `# Contract check: ${report.title}`,
    '',
    `${plural(report.requests, 'exchange')} checked against the contract (\`openapi/${report.api}\`, ${report.assumptions.length} assumptions)` +
      `${upstream ? ` with ${upstream}` : ''}: ${plural(report.violationCount, 'violation')} (${plural(report.violations.length, 'kind')}), ${plural(report.noteCount, 'note')}` +
      `${report.upstreamErrors.length ? `, ${plural(report.upstreamErrors.length, 'upstream error')}` : ''}. ` +
      `Assumptions: ${by('contradicted').length} contradicted, ${by('confirmed').length} confirmed, ${by('not exercised').length} not exercised, ${by('not checkable').length} not checkable by traffic.`,
    '',
    '## Violations',
    '',
  ];
  if (!report.violations.length) lines.push('None: every exchange matched the contract.');
  else {
    lines.push(
      '| # | Example exchange | Check | Expected | Got | Contradicts | Times |',
      '|---:|---|---|---|---|---|---:|',
    );
    report.violations.forEach((violation, index) => {
      const exchange = `${exchangeText(violation)}${violation.operation ? ` (${violation.operation})` : ''}`;
      lines.push(
        `| ${index + 1} | ${cell(exchange)} | ${violation.check} | ${cell(violation.expected)} | ${cell(violation.actual)} | ${violation.assumptions.join(', ') || 'the published docs'} | ${violation.count} |`,
      );
    });
  }
  lines.push('', '## Notes', '');
  if (!report.notes.length) lines.push('None.');
  else {
    lines.push(
      'Not violations: the contract allows them, but they are not documented.',
      '',
      '| Example exchange | Note | Times |',
      '|---|---|---:|',
    );
    for (const note of report.notes)
      lines.push(
        `| ${cell(`${exchangeText(note)}${note.operation ? ` (${note.operation})` : ''}`)} | ${cell(note.actual)} | ${note.count} |`,
      );
  }
  lines.push('', '## Contradicted assumptions', '');
  if (!by('contradicted').length) lines.push('None.');
  else {
    lines.push('| Assumption | Contradicted by | Confirmed by | Example |', '|---|---:|---:|---|');
    for (const tally of by('contradicted')) {
      const example = tally.contradictedBy!;
      lines.push(
        `| **${tally.id}** ${cell(shortened(tally.decision))} | ${tally.contradicted} | ${tally.confirmed} | ${cell(`${exchangeText(example)}: expected ${example.expected}; got ${example.actual}`)} |`,
      );
    }
  }
  lines.push('', '## Confirmed assumptions', '');
  if (!by('confirmed').length) lines.push('None.');
  else {
    lines.push('| Assumption | Confirmed by | Example |', '|---|---:|---|');
    for (const tally of by('confirmed'))
      lines.push(
        `| **${tally.id}** ${cell(shortened(tally.decision))} | ${tally.confirmed} | ${cell(exchangeText(tally.confirmedBy!))} |`,
      );
  }
  const idle = by('not exercised');
  const unseen = by('not checkable');
  if (idle.length || unseen.length) {
    lines.push('', '## Not exercised', '');
    if (idle.length) lines.push(`No exchange exercised a claim of ${idle.map((tally) => tally.id).join(', ')}.`);
    if (unseen.length)
      lines.push(`${unseen.map((tally) => tally.id).join(', ')}: no claim that traffic can confirm or contradict.`);
  }
  if (report.upstreamErrors.length) {
    lines.push('', '## Upstream errors', '', 'The proxy answered these itself, in the API’s error envelope:', '');
    for (const failure of report.upstreamErrors)
      lines.push(`- \`${failure.method} ${failure.path}\` → ${failure.status}: ${failure.message}`);
  }
  return `${lines.join('\n')}\n`;
}
