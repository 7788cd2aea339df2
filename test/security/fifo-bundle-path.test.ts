/**
 * Hazard: a path Airlock is given to read is a FIFO (no writer), a socket or a device. A plain
 * open(2) of a FIFO blocks until a writer comes; `airlock verify FIFO` hung for good on the warm
 * lane worker's synchronous open, beyond Ctrl-C, and a hostile medium or inbox can hold a FIFO
 * named x.airlock.tar. Every command here must return promptly with NOT_A_FILE (exit 3), before
 * reading a byte. The real CLI is spawned and killed after a generous bound, so a hang fails the
 * test instead of stalling the suite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBundleFile } from '../../electron/core/bundle/bundle-file-kind.js';
import { claimReady } from '../../electron/core/watch/claim-folder.js';
import { inboxLayout } from '../../electron/core/watch/inbox-layout.js';
import { processClaim } from '../../electron/core/watch/process-claim.js';
import { CLI_BIN, REPO_ROOT } from '../helpers/cli-runner.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { inboxFolder, readStatusFiles, startWatch, stopWatch, waitUntil } from '../helpers/watch-process.js';

const makeTemp = useTempDirs();
/** Far above a CLI start under load; a FIFO open that blocks never ends, so this only bounds the failure. */
const HANG_MS = 60_000;
// Each test waits for its children: its own bound stays above HANG_MS so a hang is reported as one, not as a vitest timeout.
const TEST_MS = HANG_MS + 30_000;

interface Run {
  code: number | null;
  hung: boolean;
  stdout: string;
  stderr: string;
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[key];
  return env;
}

/** `command args` as a child, killed (SIGKILL: a blocked main thread never runs a SIGINT handler) after HANG_MS. */
function runBounded(command: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, HANG_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, hung, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function airlock(args: readonly string[]): Promise<Run> {
  return runBounded(process.execPath, [CLI_BIN, '--home', home, ...args]);
}

/** The `{ ok: false, error }` object --json prints. */
function errorOf(run: Run): { code: string; path?: string; data?: { kind?: string } } {
  expect(run.hung, `the command hung (killed after ${HANG_MS} ms)\nstderr: ${run.stderr}`).toBe(false);
  try {
    return (JSON.parse(run.stdout.trim()) as { error: { code: string; path?: string; data?: { kind?: string } } }).error;
  } catch {
    throw new Error(`stdout is not one JSON object (exit ${run.code}).\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}

let work: string;
let home: string;
let fifo: string;
let socketPath: string;
let server: Server;

beforeAll(async () => {
  work = await makeTemp('airlock-fifo-');
  home = join(work, 'home');
  await mkdir(join(work, 'dest'));
  fifo = join(work, 'x.airlock.tar');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  socketPath = join(work, 's.airlock.tar');
  server = createServer();
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a bundle path that is not a file', () => {
  it(
    'verify of a FIFO without a writer returns NOT_A_FILE at once (it hung on the warm lane worker)',
    async () => {
      const run = await airlock(['verify', '--json', fifo]);
      expect(errorOf(run)).toMatchObject({ code: 'NOT_A_FILE', path: fifo, data: { kind: 'a FIFO (named pipe)' } });
      expect(run.code).toBe(3);
    },
    TEST_MS,
  );

  it(
    'import of a FIFO, a socket and /dev/null is refused the same way, the destination untouched',
    async () => {
      const runs = await Promise.all([
        airlock(['import', '--json', fifo, '--dest', join(work, 'dest')]),
        airlock(['import', '--json', socketPath, '--dest', join(work, 'dest')]),
        airlock(['verify', '--json', socketPath]),
        airlock(['verify', '--json', '/dev/null']),
      ]);
      for (const run of runs) {
        expect(errorOf(run).code).toBe('NOT_A_FILE');
        expect(run.code).toBe(3);
      }
      expect(errorOf(runs[1]).data?.kind).toMatch(/socket/u);
      expect(errorOf(runs[3]).data?.kind).toBe('a character device');
      expect(spawnSync('ls', ['-A', join(work, 'dest')]).stdout.toString()).toBe('');
    },
    TEST_MS,
  );

  it(
    'a split bundle volume index that is a FIFO is not waited on',
    async () => {
      const index = join(work, 'y.airlock-index.json');
      expect(spawnSync('mkfifo', [index]).status).toBe(0);
      const run = await airlock(['verify', '--json', index]);
      expect(run.hung, run.stderr).toBe(false);
      // The index is looked for as a file: a FIFO in its place is no index (rejected, exit 1), never opened blocking.
      expect((JSON.parse(run.stdout) as { problems: Array<{ code: string }> }).problems.map((p) => p.code)).toEqual(['INDEX_INVALID']);
      expect(run.code).toBe(1);
    },
    TEST_MS,
  );

  it(
    'process substitution (a pipe named /dev/fd/N) is refused: standard input is the way to stream a bundle',
    async () => {
      const file = join(work, 'plain.bin');
      await writeFile(file, Buffer.alloc(4096, 1));
      const run = await runBounded('bash', ['-c', `exec "$0" "$1" --home "$2" verify --json <(cat "$3")`, process.execPath, CLI_BIN, home, file]);
      const error = errorOf(run);
      expect(error.code).toBe('NOT_A_FILE');
      expect(error.path).toMatch(/^\/dev\/fd\/\d+$/u);
      expect(run.code).toBe(3);
    },
    TEST_MS,
  );
});

describe('other files named on the command line', () => {
  it(
    'keys trust, --passphrase-file and policy check refuse a FIFO without blocking',
    async () => {
      const runs = await Promise.all([
        airlock(['keys', 'trust', '--json', fifo, '--fingerprint', 'A'.repeat(40)]),
        airlock(['keys', 'generate', '--json', '--name', 'Fifo Test', '--passphrase-file', fifo]),
        airlock(['policy', 'check', '--json', fifo]),
      ]);
      for (const run of runs) {
        expect(errorOf(run)).toMatchObject({ code: 'NOT_A_FILE', path: fifo });
        expect(run.code).toBe(3);
      }
    },
    TEST_MS,
  );
});

describe('the watched inbox', () => {
  it(
    'moves a FIFO named like a bundle and a socket aside unread, and the loop goes on to stop cleanly',
    async () => {
      const inbox = join(work, 'inbox');
      await mkdir(inbox);
      expect(spawnSync('mkfifo', [join(inbox, 'p.airlock.tar')]).status).toBe(0);
      const inboxSocket = createServer();
      await new Promise<void>((resolve) => inboxSocket.listen(join(inbox, 'q.airlock.tar'), resolve));
      const watch = startWatch(home, inbox, join(work, 'dest'));
      try {
        await waitUntil('both entries moved to refused/', async () => (await inboxFolder(inbox, 'refused')).length === 2, HANG_MS);
        // The loop is not held: it records both in its status and keeps scanning.
        await waitUntil('the status counts both', async () => (await readStatusFiles(home)).some((s) => s.counts.rejected === 2), HANG_MS);
        const reports = await Promise.all(
          (await inboxFolder(inbox, 'refused')).map(
            async (id) => JSON.parse(await readFile(join(inbox, 'refused', id, 'report.json'), 'utf8')) as { refused: { name: string; type: string } },
          ),
        );
        expect(reports.map((r) => [r.refused.name, r.refused.type]).sort()).toEqual([
          ['p.airlock.tar', 'other'],
          ['q.airlock.tar', 'other'],
        ]);
      } finally {
        const ended = await stopWatch(watch);
        await new Promise<void>((resolve) => inboxSocket.close(() => resolve()));
        expect(ended, watch.stderr()).toEqual({ code: 0, signal: null });
      }
    },
    TEST_MS,
  );
});

describe('a claimed bundle swapped for a FIFO after the claim checked it', () => {
  it('is refused as NOT_A_FILE by the import, without blocking, and never retried', async () => {
    const inbox = await makeTemp('airlock-fifo-claim-');
    const layout = inboxLayout(inbox);
    for (const dir of [layout.work, layout.accepted, layout.quarantine, layout.refused]) await mkdir(dir, { recursive: true });
    await writeFile(join(inbox, 'z.airlock.tar'), 'a bundle');
    const claim = await claimReady(layout, { kind: 'bundle', name: 'z', primary: 'z.airlock.tar', others: [], mtimeMs: 0 }, '/home', new Date().toISOString());
    expect(claim).not.toBeNull();
    const result = await processClaim(
      layout,
      claim!,
      {
        home: '/home',
        // The sender wins the race after the claim's lstat: the import's own check is the one that counts.
        importBundle: async (path) => {
          await rm(path);
          expect(spawnSync('mkfifo', [path]).status).toBe(0);
          await assertBundleFile(path);
          throw new Error('the FIFO was taken for a bundle');
        },
        priorImport: () => null,
        importedOnStation: () => false,
      },
      new AbortController().signal,
      false,
    );
    expect(result).toMatchObject({ kind: 'done', record: { outcome: 'rejected', codes: ['NOT_A_FILE'] } });
  });
});
