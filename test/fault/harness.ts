/**
 * Fault harness: real `bin/airlock.mjs` children killed with SIGKILL at seeded points of their own
 * progress (progress-kill.ts), at times, or at the worst instants (crash-child.ts), run two at a
 * time on one station home, and afterwards the file system, the ledger and the audit chain
 * checked against each other. Used by
 * run-harness.ts (long runs by hand) and fault-harness.test.ts (a short run in CI).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { homePaths } from '../../electron/core/home/station-home.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { parseProgressLine, ProgressKillPlan, progressLines, type ProgressKill } from './progress-kill.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const CLI = join(REPO, 'bin', 'airlock.mjs');
export const CRASH_CHILD = join(import.meta.dirname, 'crash-child.ts');
export const PASSPHRASE = 'fault harness passphrase';
export const BUNDLE_NAME = 'fault';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killed: boolean;
  ms: number;
  /** With killAt: the progress line the kill was sent at (phase and percent), null if the child ended first. */
  killedAt?: string | null;
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
  return env;
}

/**
 * Run `airlock --home HOME ARGS`; with killAfterMs, SIGKILL it then (if still running); with
 * killAt, run it with --progress and SIGKILL it when its progress reaches that point (progress-kill.ts).
 */
export function airlock(home: string, args: readonly string[], options: { killAfterMs?: number; crashAt?: string; killAt?: ProgressKill } = {}): Promise<Run> {
  const started = performance.now();
  const global = options.killAt ? ['--home', home, '--progress'] : ['--home', home];
  const argv = options.crashAt ? ['--import', 'tsx', CRASH_CHILD, options.crashAt, ...global, ...args] : [CLI, ...global, ...args];
  const plan = options.killAt ? new ProgressKillPlan(options.killAt) : null;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: REPO, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let killedAt: string | null = null;
    let timer: NodeJS.Timeout | null = null;
    const kill = (where: string): void => {
      if (killedAt !== null) return;
      killedAt = where;
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err.push(c);
      if (plan === null || killedAt !== null) return;
      for (const line of progressLines(c.toString('utf8'))) {
        const sample = parseProgressLine(line);
        const decision = sample === null ? null : plan.decide(sample, performance.now());
        if (sample === null || decision === null) continue;
        const where = `${sample.phase} ${sample.fraction === null ? '' : `${Math.round(sample.fraction * 100)}%`}`.trim();
        if (timer) clearTimeout(timer);
        if (decision.kind === 'now') kill(where);
        else timer = setTimeout(() => kill(`${plan.phase} ~${Math.round(plan.fraction * 100)}%`), decision.ms);
        if (killedAt !== null) break;
      }
    });
    if (options.killAfterMs !== undefined) timer = setTimeout(() => kill(`${Math.round(options.killAfterMs ?? 0)}ms`), options.killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const killed = signal === 'SIGKILL';
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        killed,
        ms: performance.now() - started,
        ...(plan ? { killedAt: killed ? killedAt : null } : {}),
      });
    });
  });
}

export function json<T = Record<string, unknown>>(run: Run): T | null {
  try {
    return JSON.parse(run.stdout.trim()) as T;
  } catch {
    return null;
  }
}

export interface Fixture {
  root: string;
  /** A home with its key and the bundle's export recorded: each trial works on a copy. */
  templateHome: string;
  passFile: string;
  source: string;
  bundle: string;
  /** payload path -> SHA-256, as imported under DIR/fault/. */
  expected: Map<string, string>;
}

export async function prepareFixture(root: string, options: { files: number; fileBytes: number }): Promise<Fixture> {
  const templateHome = join(root, 'template-home');
  const passFile = join(root, 'passphrase');
  const source = join(root, 'source', 'payload');
  await mkdir(source, { recursive: true });
  await writeFile(passFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  const expected = new Map<string, string>();
  for (let i = 0; i < options.files; i += 1) {
    const content = Buffer.alloc(options.fileBytes, i + 1);
    content.writeUInt32BE(i, 0);
    const name = `file-${String(i).padStart(4, '0')}.bin`;
    await writeFile(join(source, name), content);
    expected.set(`payload/${name}`, createHash('sha256').update(content).digest('hex'));
  }
  const keys = await airlock(templateHome, ['keys', 'generate', '--name', 'Fault Station', '--passphrase-file', passFile]);
  if (keys.code !== 0) throw new Error(`keys generate failed: ${keys.stderr}`);
  const out = join(root, 'bundle');
  await mkdir(out);
  const exported = await airlock(templateHome, ['export', '--out', out, '--name', BUNDLE_NAME, '--passphrase-file', passFile, source]);
  if (exported.code !== 0) throw new Error(`export failed: ${exported.stderr}`);
  // A station trusts its own key: the template home imports what it exported. Trials work on copies.
  return { root, templateHome, passFile, source, bundle: join(out, `${BUNDLE_NAME}.airlock.tar`), expected };
}

export async function cloneHome(fixture: Fixture, to: string): Promise<string> {
  await cp(fixture.templateHome, to, { recursive: true });
  return to;
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** 'absent', 'complete', 'placeholder' (an empty folder: a commit killed between its placeholder and its rename), or what is wrong with a partial or altered import. */
export async function importState(fixture: Fixture, target: string): Promise<'absent' | 'complete' | 'placeholder' | string> {
  if (!(await exists(target))) return 'absent';
  // The empty folder a commit makes at DIR/NAME just before renaming the payload over it (import/destination-placeholder.ts).
  if ((await readdir(target).catch(() => null))?.length === 0) return 'placeholder';
  const found = new Map<string, string>();
  try {
    for (const name of await readdir(join(target, 'payload'))) {
      found.set(
        `payload/${name}`,
        createHash('sha256')
          .update(await readFile(join(target, 'payload', name)))
          .digest('hex'),
      );
    }
  } catch (error) {
    return `unreadable: ${(error as Error).message}`;
  }
  if (found.size !== fixture.expected.size) return `partial: ${found.size} of ${fixture.expected.size} files`;
  for (const [path, digest] of fixture.expected) if (found.get(path) !== digest) return `altered: ${path}`;
  return 'complete';
}

export interface LedgerState {
  imports: Array<{ id: number; destination: string; status: string; recovered: number }>;
  exports: Array<{ id: number; path: string; status: string; recovered: number }>;
  events: Array<{ seq: number; type: string; outcome: string; errorCode: string | null; details: Record<string, unknown> }>;
}

/** The ledger and the audit events as stored (read-only; the CLI settles intents first). */
export function readLedger(home: string): LedgerState {
  const db = new Database(homePaths(home).database, { readonly: true, fileMustExist: true });
  try {
    const hasExports = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'export_intents'").get() !== undefined;
    const hasRecovered = (db.prepare("SELECT COUNT(*) AS n FROM pragma_table_info('imports') WHERE name = 'recovered'").get() as { n: number }).n > 0;
    return {
      imports: db
        .prepare(`SELECT id, destination, status, ${hasRecovered ? 'recovered' : '0 AS recovered'} FROM imports ORDER BY id`)
        .all() as LedgerState['imports'],
      exports: hasExports ? (db.prepare('SELECT id, path, status, recovered FROM export_intents ORDER BY id').all() as LedgerState['exports']) : [],
      events: (
        db.prepare('SELECT seq, type, outcome, error_code, details FROM audit_events ORDER BY seq').all() as Array<{
          seq: number;
          type: string;
          outcome: string;
          error_code: string | null;
          details: string;
        }>
      ).map((e) => ({
        seq: e.seq,
        type: e.type,
        outcome: e.outcome,
        errorCode: e.error_code,
        details: JSON.parse(e.details) as Record<string, unknown>,
      })),
    };
  } finally {
    db.close();
  }
}

/** `audit verify --json`: also the "next start" that settles what a killed process left. */
export async function auditVerify(home: string): Promise<string | null> {
  const run = await airlock(home, ['audit', 'verify', '--json']);
  const result = json<{ ok: boolean; firstBroken: unknown }>(run);
  if (run.code !== 0 || !result?.ok) return `audit verify failed (exit ${run.code}): ${run.stdout}${run.stderr}`;
  return null;
}

/** Seeded, so a failing trial can be run again exactly. */
export const random = seededRandom;
