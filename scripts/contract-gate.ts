/**
 * The breaking-change gate: compares the current bundled descriptions (openapi/generated/) with the last released
 * contract (openapi/released/<version>/) using `redocly diff` and the `diff-recommended` rules, which rate each
 * change by the semver bump it needs and know the direction of the data (a new enum value is fine in a request,
 * breaking in a response). A `major` change (removed operation or field, narrowed type, new required input,
 * changed auth…) passes only when every package that ships that description has a breaking version bump over the
 * release (major; minor while 0.x) and its CHANGELOG.md section for the new version says BREAKING.
 *
 * It also fails when a package's public TypeScript no longer matches its committed `api-report.md`
 * (scripts/api-report.ts).
 *
 *   tsx scripts/contract-gate.ts              # CI: exit 1 on an unannounced breaking change or API report drift
 *   tsx scripts/contract-gate.ts --snapshot   # at release: keep the current bundles as openapi/released/<version>/
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { driftedReports } from './api-report.ts';

// ── Public types and values ─────────────────────────────────────────────────────────────────────────

export const ROOT = new URL('..', import.meta.url).pathname;
export const RELEASED_DIR = join(ROOT, 'openapi/released');

/** The bundled descriptions and the packages that ship each (the SDK its types, the mock all three specs). */
export const CONTRACTS = {
  mvo: ['virtual-commerce-sdk', 'virtual-commerce-mock'],
  tvm: ['virtual-commerce-sdk', 'virtual-commerce-mock'],
  mock: ['virtual-commerce-mock'],
} as const;
export type ContractName = keyof typeof CONTRACTS;

export interface PackageRelease {
  name: string;
  version: string;
  /** The package's CHANGELOG.md text. */
  changelog: string;
}

export interface BreakingChange {
  contract: ContractName;
  /** `GET /v1/offers: responses/200/…`, where the change is. */
  where: string;
  /** The rule's message, e.g. "Upper bound changed from '<= 100' to '<= 50'." */
  message: string;
}

export interface GateResult {
  releasedVersion: string;
  breaking: BreakingChange[];
  /** Why the breaking changes are not allowed; empty when the gate passes. */
  problems: string[];
}

// ── Private values ──────────────────────────────────────────────────────────────────────────────────

const REDOCLY = join(ROOT, 'node_modules/.bin/redocly');
const DIFF_CONFIG = join(RELEASED_DIR, 'redocly-diff.yaml');
const PACKAGE_DIRS: Record<string, string> = { 'virtual-commerce-sdk': 'sdk', 'virtual-commerce-mock': 'mock-server' };
const run = promisify(execFile);

interface RedoclyChange {
  path: string;
  impact: 'major' | 'minor' | 'patch';
  verdicts: { message?: string; ruleId?: string }[];
  property?: string;
}

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

export function parseVersion(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`not a semver version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Whether going from `from` to `to` is a bump that may break users: major, or minor while 0.x (npm's `^` rule). */
export function isBreakingBump(from: string, to: string): boolean {
  const [a, b] = [parseVersion(from), parseVersion(to)];
  if (a[0] > 0) return b[0] > a[0];
  if (b[0] > 0) return true;
  return a[1] > 0 ? b[1] > a[1] : b[1] > a[1] || b[2] > a[2];
}

/** The text of the CHANGELOG section headed by `version` (`## 1.0.0 …` up to the next `## `). */
export function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^## \\[?${version.replaceAll('.', '\\.')}\\b`).test(line));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** The newest released contract's version (the highest folder name under `releasedDir`). */
export function latestReleasedVersion(releasedDir = RELEASED_DIR): string {
  const versions = readdirSync(releasedDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d+\.\d+\.\d+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort((x, y) => {
      const [a, b] = [parseVersion(x), parseVersion(y)];
      return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
    });
  if (!versions.length) throw new Error(`no released contract under ${releasedDir}`);
  return versions.at(-1)!;
}

/** One change `redocly diff` found, rated by the semver bump it needs. */
export interface RatedChange {
  /** `GET /v1/offers: responses/200/…`, where the change is. */
  where: string;
  impact: 'major' | 'minor' | 'patch';
  /** The rules that rated it, e.g. `enum-values-removed`. */
  rules: string[];
  message: string;
}

/** Every change from `base` to `revision`, as `redocly diff` with the diff-recommended rules rates it. */
export async function ratedChanges(base: string, revision: string): Promise<RatedChange[]> {
  const { stdout } = await run(
    REDOCLY,
    ['diff', base, revision, '--config', DIFF_CONFIG, '--format', 'json', '--fail-on', 'none'],
    {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const report = JSON.parse(stdout) as { changes: RedoclyChange[] };
  return report.changes.map((change) => ({
    where: describePointer(change.path),
    impact: change.impact,
    rules: change.verdicts.map((verdict) => verdict.ruleId).filter((rule): rule is string => Boolean(rule)),
    message:
      change.verdicts
        .map((verdict) => verdict.message)
        .filter(Boolean)
        .join(' ') || `${change.property ?? 'item'} changed`,
  }));
}

/**
 * The `major` changes from `base` to `revision`: the ones that break a user of `contract`. Redocly's, plus the
 * operations whose effective security (their own `security`, else the document's) no longer accepts credentials
 * it accepted: redocly rates dropping an operation's `security: []` a patch, yet every anonymous caller breaks.
 */
export async function breakingChanges(
  contract: ContractName,
  base: string,
  revision: string,
): Promise<BreakingChange[]> {
  const redocly = (await ratedChanges(base, revision)).filter((change) => change.impact === 'major');
  const security = securityNarrowed(parse(readFileSync(base, 'utf8')), parse(readFileSync(revision, 'utf8')))
    .filter((found) => !redocly.some((change) => change.where.startsWith(`${found.operation}: security`)))
    .map((found) => ({ where: `${found.operation}: security`, message: found.message }));
  return [...redocly, ...security].map(({ where, message }) => ({ contract, where, message }));
}

/** One alternative of a security requirement: scheme → the scopes it needs. `{}` is anonymous access. */
type Requirement = Record<string, string[]>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/**
 * Operations in both documents where some credentials that satisfied an alternative of the old requirement
 * satisfy none of the new one's (an alternative is met when the caller holds each of its schemes with its scopes).
 */
export function securityNarrowed(
  base: Record<string, any>,
  revision: Record<string, any>,
): { operation: string; message: string }[] {
  const effective = (doc: Record<string, any>, op: Record<string, any>): Requirement[] =>
    op.security ?? doc.security ?? [{}];
  const describe = (alternatives: Requirement[]) =>
    alternatives.length
      ? alternatives.map((alt) => Object.keys(alt).join(' + ') || 'no credentials').join(' or ')
      : 'no credentials';
  const meets = (held: Requirement, needed: Requirement) =>
    Object.entries(needed).every(
      ([scheme, scopes]) => held[scheme] && scopes.every((scope) => held[scheme].includes(scope)),
    );
  const found: { operation: string; message: string }[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(base.paths ?? {})) {
    for (const method of METHODS) {
      const [before, after] = [item?.[method], revision.paths?.[path]?.[method]];
      if (!before || !after) continue;
      // An empty list, like `[{}]`, asks for nothing.
      const [was, is] = [effective(base, before), effective(revision, after)].map((list) =>
        list.length ? list : [{}],
      );
      const lost = was.filter((held) => !is.some((needed) => meets(held, needed)));
      if (lost.length) {
        found.push({
          operation: `${method.toUpperCase()} ${path}`,
          message: `Security narrowed: callers with ${describe(lost)} were accepted; it now needs ${describe(is)}.`,
        });
      }
    }
  }
  return found;
}

/** `#/paths/~1v1~1offers/get/parameters/1/schema` → `GET /v1/offers: parameters/1/schema`. */
function describePointer(pointer: string): string {
  const parts = pointer
    .replace(/^#\//, '')
    .split('/')
    .map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'));
  if (parts[0] === 'paths' && parts.length === 2) return parts[1];
  if (parts[0] !== 'paths' || parts.length < 3) return parts.join('/');
  return `${parts[2].toUpperCase()} ${parts[1]}${parts.length > 3 ? `: ${parts.slice(3).join('/')}` : ''}`;
}

/**
 * Compares every contract in `currentDir` (`<name>.yaml`) with the release in `releasedDir/<version>/` and
 * checks that the packages announce any breaking change.
 */
export async function checkContracts(
  options: { releasedDir?: string; currentDir?: string; packages?: PackageRelease[] } = {},
): Promise<GateResult> {
  const releasedDir = options.releasedDir ?? RELEASED_DIR;
  const currentDir = options.currentDir ?? join(ROOT, 'openapi/generated');
  const packages = options.packages ?? readPackages();
  const releasedVersion = latestReleasedVersion(releasedDir);
  const breaking: BreakingChange[] = [];
  for (const contract of Object.keys(CONTRACTS) as ContractName[]) {
    breaking.push(
      ...(await breakingChanges(
        contract,
        join(releasedDir, releasedVersion, `${contract}.yaml`),
        join(currentDir, `${contract}.yaml`),
      )),
    );
  }
  return { releasedVersion, breaking, problems: announcementProblems(breaking, packages, releasedVersion) };
}

/** Why `breaking` is not allowed: each package that ships a broken contract needs a breaking bump and a BREAKING note. */
export function announcementProblems(
  breaking: BreakingChange[],
  packages: PackageRelease[],
  releasedVersion: string,
): string[] {
  const problems: string[] = [];
  const affected = new Set(breaking.flatMap((change) => CONTRACTS[change.contract]));
  for (const name of affected) {
    const release = packages.find((candidate) => candidate.name === name);
    if (!release) throw new Error(`no package.json for ${name}`);
    if (!isBreakingBump(releasedVersion, release.version)) {
      problems.push(
        `${name} is ${release.version}: a breaking change needs a breaking version bump over the released ${releasedVersion} (major; minor while 0.x)`,
      );
    } else if (!/BREAKING/.test(changelogSection(release.changelog, release.version) ?? '')) {
      problems.push(`${name}: CHANGELOG.md has no "## ${release.version}" section that says BREAKING and what broke`);
    }
  }
  return problems;
}

/** The two packages' versions and changelogs as they are in this repository. */
export function readPackages(root = ROOT): PackageRelease[] {
  return Object.entries(PACKAGE_DIRS).map(([name, dir]) => ({
    name,
    version: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version,
    changelog: existsSync(join(root, dir, 'CHANGELOG.md')) ? readFileSync(join(root, dir, 'CHANGELOG.md'), 'utf8') : '',
  }));
}

// ── CLI ─────────────────────────────────────────────────────────────────────────────────────────────

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--snapshot')) {
    const [sdk, mock] = readPackages();
    if (sdk.version !== mock.version)
      throw new Error(`the packages are released together: sdk ${sdk.version}, mock ${mock.version}`);
    const target = join(RELEASED_DIR, sdk.version);
    if (existsSync(target)) {
      console.error(
        `contract-gate: ${target} already exists; a released contract is never rewritten (bump the version)`,
      );
      process.exit(1);
    }
    mkdirSync(target, { recursive: true });
    for (const contract of Object.keys(CONTRACTS))
      cpSync(join(ROOT, 'openapi/generated', `${contract}.yaml`), join(target, `${contract}.yaml`));
    console.log(`contract-gate: openapi/generated/ kept as the released contract ${sdk.version}`);
  } else {
    const result = await checkContracts();
    for (const change of result.breaking)
      console.log(`  major  ${change.contract}: ${change.where}\n         ${change.message}`);
    // The packages' TypeScript is a contract too: its report (scripts/api-report.ts) must be current.
    const drifted = driftedReports();
    if (drifted.length) {
      console.error(
        `contract-gate: the public TypeScript of ${drifted.join(', ')} no longer matches api-report.md; review the change, then run npx tsx scripts/api-report.ts --write`,
      );
      process.exit(1);
    }
    if (result.problems.length) {
      console.error(
        `contract-gate: ${result.breaking.length} breaking change(s) since the released contract ${result.releasedVersion}, not announced:`,
      );
      for (const problem of result.problems) console.error(`  - ${problem}`);
      process.exit(1);
    }
    console.log(
      result.breaking.length
        ? `contract-gate: ${result.breaking.length} breaking change(s) since ${result.releasedVersion}, announced by a breaking version bump and CHANGELOG`
        : `contract-gate: no breaking change since the released contract ${result.releasedVersion}`,
    );
  }
}
