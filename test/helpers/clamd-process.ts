/**
 * A real clamd for tests (issue #16.8): Debian's clamav-daemon started in the foreground with its own
 * clamd.conf in a temp dir (a Unix socket there, TCP on 127.0.0.1 at a free port, its own
 * database directory and log, the limits a test asks for). The database is made by
 * clamav-database.ts: a current one by default, a stale one (`databaseBuiltAt` in the past), or
 * plain signatures only (VERSION then names no database). Readiness is clamd answering PING.
 * No vitest here (the bench uses it too; clamd-server.ts adds useClamdServer for test files); a
 * process exit kills what is left (SIGKILL), so a crashed test worker leaves no clamd behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, killOnExit, listensOn, portHolders } from './test-daemons.js';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDatabaseContainer, writePlainSignatures } from './clamav-database.js';

export interface ClamdServerOptions {
  /** clamd's StreamMaxLength (INSTREAM bytes it accepts), e.g. `64K`; default 25M (clamd's own default). */
  streamMaxLength?: string | undefined;
  /** MaxRecursion (archive nesting clamd unpacks), MaxFiles (files per scan); clamd's defaults otherwise. */
  maxRecursion?: number | undefined;
  maxFiles?: number | undefined;
  /** MaxScanSize / MaxFileSize, e.g. `10M`. */
  maxScanSize?: string | undefined;
  maxFileSize?: string | undefined;
  /**
   * The database: `current` (a daily.cud built now, the default), `silent` (only a plain .ndb: VERSION
   * names no database), or a daily.cud with this build time and version (a stale one: a date in the past).
   */
  database?: 'current' | 'silent' | { builtAt: Date; version?: number | undefined } | undefined;
  /** Extra clamd.conf lines. */
  extraConfig?: string[] | undefined;
}

export interface ClamdServer {
  dir: string;
  socketPath: string;
  port: number;
  /** `unix:/.../clamd.sock`, as policy.json spells it. */
  unixAddress: string;
  /** `tcp:127.0.0.1:PORT`. */
  tcpAddress: string;
  databaseDir: string;
  configPath: string;
  readonly pid: number | null;
  /** clamd's log file and console output (for failure messages). */
  log(): Promise<string>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL at once (a crash); the socket file stays behind, as after a real crash. */
  kill(): Promise<void>;
  /** Start again with the same config, database and addresses; resolves when it answers PING. */
  start(): Promise<void>;
}

function configText(options: ClamdServerOptions, paths: { socket: string; port: number; db: string; log: string; pid: string }): string {
  return [
    'Foreground yes',
    `LocalSocket ${paths.socket}`,
    'LocalSocketMode 600',
    `TCPSocket ${paths.port}`,
    'TCPAddr 127.0.0.1',
    `DatabaseDirectory ${paths.db}`,
    `LogFile ${paths.log}`,
    'LogTime yes',
    `PidFile ${paths.pid}`,
    `StreamMaxLength ${options.streamMaxLength ?? '25M'}`,
    ...(options.maxRecursion === undefined ? [] : [`MaxRecursion ${options.maxRecursion}`]),
    ...(options.maxFiles === undefined ? [] : [`MaxFiles ${options.maxFiles}`]),
    ...(options.maxScanSize === undefined ? [] : [`MaxScanSize ${options.maxScanSize}`]),
    ...(options.maxFileSize === undefined ? [] : [`MaxFileSize ${options.maxFileSize}`]),
    'AlertExceedsMax yes',
    // Tests reload explicitly (RELOAD after a feed); a timed self-check would reload behind their back.
    'SelfCheck 3600',
    'MaxThreads 4',
    ...(options.extraConfig ?? []),
    '',
  ].join('\n');
}

/** One z-command on the Unix socket; the reply without its NUL, or null when clamd does not answer. */
export function clamdSay(socketPath: string, command: string, timeoutMs = 5_000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createConnection({ path: socketPath });
    const parts: Buffer[] = [];
    const done = (value: string | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('error', () => done(null));
    socket.on('connect', () => socket.write(`z${command}\0`));
    socket.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      const all = Buffer.concat(parts);
      const nul = all.indexOf(0);
      if (nul >= 0) done(all.subarray(0, nul).toString('utf8'));
    });
    socket.on('end', () => done(parts.length > 0 ? Buffer.concat(parts).toString('utf8') : null));
  });
}

export const READY_TIMEOUT_MS = 120_000;

export async function startClamd(options: ClamdServerOptions = {}): Promise<ClamdServer> {
  const dir = await mkdtemp(join(tmpdir(), 'airlock-clamd-'));
  const databaseDir = join(dir, 'db');
  await mkdir(databaseDir);
  const database = options.database ?? 'current';
  if (database === 'silent') await writePlainSignatures(databaseDir);
  else if (database === 'current') await writeDatabaseContainer(databaseDir);
  else await writeDatabaseContainer(databaseDir, { builtAt: database.builtAt, version: database.version });

  const socketPath = join(dir, 'clamd.sock');
  const logPath = join(dir, 'clamd.log');
  const consolePath = join(dir, 'console.log');
  const configPath = join(dir, 'clamd.conf');
  let port: number;
  let child: ChildProcess | null = null;

  async function launch(): Promise<void> {
    const out = openSync(consolePath, 'a');
    try {
      child = spawn('clamd', ['--config-file', configPath], { stdio: ['ignore', out, out], env: { ...process.env, LC_ALL: 'C' } });
    } finally {
      closeSync(out);
    }
    const started = child;
    killOnExit(started);
    const exited = once(started, 'exit').then(() => true);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if ((await clamdSay(socketPath, 'PING', 2_000)) === 'PONG') {
        // Ready on its socket file; the TCP port must be this clamd's too (another clamd there would answer PING as well).
        if (started.pid !== undefined && !listensOn(port, started.pid))
          throw new Error(`clamd ${started.pid} does not hold 127.0.0.1:${port}; ${portHolders(port)}`);
        return;
      }
      if (await Promise.race([exited, new Promise<false>((resolve) => setTimeout(() => resolve(false), 200))])) {
        throw new Error(`clamd exited while starting:\n${await readFile(consolePath, 'utf8').catch(() => '')}`);
      }
      if (Date.now() > deadline)
        throw new Error(`clamd did not answer PING within ${READY_TIMEOUT_MS} ms:\n${await readFile(consolePath, 'utf8').catch(() => '')}`);
    }
  }

  // No other test process is handed this port (freePort reserves it), but a process that does not ask freePort may hold it: try a few.
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    await writeFile(configPath, configText(options, { socket: socketPath, port, db: databaseDir, log: logPath, pid: join(dir, 'clamd.pid') }));
    try {
      await launch();
      break;
    } catch (error) {
      await rm(socketPath, { force: true });
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  async function halt(signal: NodeJS.Signals): Promise<void> {
    const current: ChildProcess | null = child;
    child = null;
    if (current === null || current.exitCode !== null || current.signalCode !== null) return;
    const exited = once(current, 'exit');
    current.kill(signal);
    await exited;
  }

  return {
    dir,
    socketPath,
    port,
    unixAddress: `unix:${socketPath}`,
    tcpAddress: `tcp:127.0.0.1:${port}`,
    databaseDir,
    configPath,
    get pid() {
      const current: ChildProcess | null = child;
      return current?.pid ?? null;
    },
    async log() {
      const [logText, consoleText] = await Promise.all([readFile(logPath, 'utf8').catch(() => ''), readFile(consolePath, 'utf8').catch(() => '')]);
      return `${consoleText}\n--- clamd.log ---\n${logText}`;
    },
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    async start() {
      await halt('SIGTERM');
      // After a SIGKILL the old socket file is still there; clamd refuses to start over a live one only.
      await rm(socketPath, { force: true });
      await launch();
    },
  };
}

/** Stop a server and remove its files (for servers started by hand with startClamd). */
export async function disposeClamd(server: ClamdServer): Promise<void> {
  await server.kill();
  await rm(server.dir, { recursive: true, force: true });
}
