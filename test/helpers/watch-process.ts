/**
 * `airlock watch` as a real child process for tests: started on an inbox, observed through its
 * status file (HOME/watch/*.json, as `airlock watch --status` reads it) and its folders, stopped
 * with a signal. Conditions are polled, never timed: a loaded machine changes when, not what.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WatchStatus } from '../../shared/watch.js';
import { CLI_BIN, REPO_ROOT } from './cli-runner.js';

export interface WatchChild {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startWatch(home: string, inbox: string, dest: string, extra: readonly string[] = []): WatchChild {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[key];
  const child = spawn(process.execPath, [CLI_BIN, '--home', home, 'watch', inbox, '--dest', dest, '--settle', '1', '--rescan', '0.2', ...extra], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => Buffer.concat(out).toString('utf8'), stderr: () => Buffer.concat(err).toString('utf8'), ended };
}

/** The status files of a home (what `watch --status --json` prints, before the dead check). */
export async function readStatusFiles(home: string): Promise<WatchStatus[]> {
  const dir = join(home, 'watch');
  const names = await readdir(dir).catch(() => [] as string[]);
  const statuses: WatchStatus[] = [];
  for (const name of names.filter((n) => /^[0-9a-f]{16}\.json$/u.test(n))) {
    try {
      statuses.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as WatchStatus);
    } catch {
      // being replaced right now: the next poll reads it
    }
  }
  return statuses;
}

/** Polls `condition` every 50 ms until it holds; fails after `limitMs` with `what` (a generous bound, not a timing assertion). */
export async function waitUntil(what: string, condition: () => Promise<boolean> | boolean, limitMs = 90_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Folder names under INBOX/SUB (accepted, quarantine, refused, .airlock-watch). */
export async function inboxFolder(inbox: string, sub: string): Promise<string[]> {
  return (await readdir(join(inbox, sub)).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
}

/** The bundle names in accepted/ or quarantine/ (each folder is NAME.<claim id>). */
export async function settledNames(inbox: string, sub: 'accepted' | 'quarantine'): Promise<string[]> {
  return (await inboxFolder(inbox, sub)).map((n) => n.slice(0, n.indexOf('.c-'))).sort();
}

export async function stopWatch(watch: WatchChild, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (watch.child.exitCode === null && watch.child.signalCode === null) watch.child.kill(signal);
  return watch.ended;
}
