/**
 * The audit-log section: a station whose log holds `events` events, then the operator's
 * questions to it through the real CLI under /usr/bin/time (whole-process wall time and peak
 * RSS, startup included), plus the same list queries timed in-process with listAuditEvents,
 * since CLI startup alone dwarfs a fast query. The station is its own home with its own key:
 * the data-set sections' home stays small, and this one gets one signed checkpoint over the
 * whole chain so `audit verify` checks a signature and the signed head file too.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listAuditEvents, type AuditQuery } from '../electron/core/audit/audit-store.js';
import { openStationDb } from '../electron/core/db/station-db.js';
import { homePaths } from '../electron/core/home/station-home.js';
import { buildAuditLog, NEEDLE, type AuditBuild } from './audit-data.js';
import { measure } from './measure.js';
import { shellLine } from './pipelines.js';
import { runChecked } from './proc.js';
import { airlockAt } from './stations.js';

export type AuditStepId = 'startup' | 'list-filtered' | 'list-text' | 'verify';

export const AUDIT_STEP_LABELS: Record<AuditStepId, string> = {
  startup: 'airlock --version (CLI startup, the floor)',
  'list-filtered': 'audit list --type import --outcome rejected --limit 100',
  'list-text': `audit list --text ${NEEDLE} --limit 100`,
  verify: 'audit verify (full chain)',
};

export interface AuditStepResult {
  id: AuditStepId;
  seconds: number;
  maxRssKiB: number;
  command: string;
}

export interface QueryTiming {
  id: Exclude<AuditStepId, 'startup' | 'verify'>;
  /** The first call on a freshly opened database: what one CLI run pays. */
  firstMs: number;
  /** Median of the calls after it. */
  medianMs: number;
  repeats: number;
  matches: number;
}

export interface AuditRun {
  build: AuditBuild;
  dbBytes: number;
  steps: AuditStepResult[];
  queries: QueryTiming[];
  checkpoints: number;
}

export interface AuditContext {
  root: string;
  events: number;
  log: (message: string) => void;
}

const QUERIES: Record<QueryTiming['id'], AuditQuery> = {
  'list-filtered': { type: 'import', outcome: 'rejected', limit: 100 },
  'list-text': { text: NEEDLE, limit: 100 },
};
const REPEATS = 5;

function cliArgs(query: AuditQuery): string[] {
  const args = ['audit', 'list'];
  if (query.type) args.push('--type', query.type);
  if (query.outcome) args.push('--outcome', query.outcome);
  if (query.text) args.push('--text', query.text);
  args.push('--limit', String(query.limit ?? 100), '--json');
  return args;
}

function parseJson<T>(stdout: string, what: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`${what} printed no JSON: ${stdout.slice(0, 500)}`);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The list queries in this process, on a freshly opened database: first call, then REPEATS more. */
function timeQueries(dbFile: string): QueryTiming[] {
  const db = openStationDb(dbFile);
  try {
    return (Object.keys(QUERIES) as QueryTiming['id'][]).map((id) => {
      const query = QUERIES[id];
      const once = () => {
        const started = performance.now();
        const matches = listAuditEvents(db, query).length;
        return { ms: performance.now() - started, matches };
      };
      const first = once();
      const rest = Array.from({ length: REPEATS }, once);
      return { id, firstMs: first.ms, medianMs: median(rest.map((r) => r.ms)), repeats: REPEATS, matches: first.matches };
    });
  } finally {
    db.close();
  }
}

export async function runAuditBench(ctx: AuditContext): Promise<AuditRun> {
  const { root, events, log } = ctx;
  const dir = join(root, 'audit');
  const home = join(dir, 'home');
  const passphraseFile = join(dir, 'passphrase');
  await mkdir(dir, { recursive: true });
  await writeFile(passphraseFile, 'airlock audit bench passphrase\n', { mode: 0o600 });
  const cli = (args: string[]) => airlockAt(home, args);

  log('  station key for the audit home ...');
  await runChecked(cli(['keys', 'generate', '--name', 'Airlock Audit Bench', '--passphrase-file', passphraseFile]));
  const dbFile = homePaths(home).database;
  log(`  building the log: ${String(events)} events ...`);
  let reported = 0;
  const build = await buildAuditLog(dbFile, events, (added) => {
    if (added - reported >= 200_000) {
      reported = added;
      log(`    ${String(added)} events ...`);
    }
  });
  log(`  built in ${build.seconds.toFixed(1)} s; signing a checkpoint over the head (untimed) ...`);
  await runChecked(cli(['audit', 'checkpoint', '--passphrase-file', passphraseFile, '--json']));
  const dbBytes = (await stat(dbFile)).size;
  // The build left the whole database dirty in the page cache; its writeback must not land inside a measurement.
  await runChecked({ argv: ['sync', '-f', dir] });

  const timeFile = join(dir, 'time.txt');
  const steps: AuditStepResult[] = [];
  const step = async (id: AuditStepId, args: string[]) => {
    log(`  ${AUDIT_STEP_LABELS[id]} ...`);
    const command = cli(args);
    const m = await measure(command, timeFile);
    steps.push({ id, seconds: m.seconds, maxRssKiB: m.maxRssKiB, command: shellLine(command) });
    return m.stdout;
  };

  await step('startup', ['--version']);
  const expected: Record<QueryTiming['id'], number> = { 'list-filtered': Math.min(100, build.rejectedImports), 'list-text': build.needleEvents };
  for (const id of Object.keys(QUERIES) as QueryTiming['id'][]) {
    const listed = parseJson<{ ok?: boolean; events?: unknown[] }>(await step(id, cliArgs(QUERIES[id])), 'audit list');
    if (listed.ok !== true || listed.events?.length !== expected[id]) {
      throw new Error(`audit list (${id}) returned ${String(listed.events?.length)} events, expected ${String(expected[id])}`);
    }
  }
  const verified = parseJson<{ ok?: boolean; events?: number; checkpoints?: number; firstBroken?: unknown }>(
    await step('verify', ['audit', 'verify', '--json']),
    'audit verify',
  );
  if (verified.ok !== true || verified.events !== build.events) {
    throw new Error(`audit verify did not accept the bench's log of ${String(build.events)} events: ${JSON.stringify(verified).slice(0, 1000)}`);
  }

  log(`  the same list queries in-process (first call + ${String(REPEATS)} repeats) ...`);
  const queries = timeQueries(dbFile);
  for (const q of queries) {
    if (q.matches !== expected[q.id]) throw new Error(`listAuditEvents (${q.id}) found ${String(q.matches)} events, expected ${String(expected[q.id])}`);
  }
  return { build, dbBytes, steps, queries, checkpoints: verified.checkpoints ?? 0 };
}
