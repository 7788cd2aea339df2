/**
 * Running `airlock ...` from tests: in-process through runCli (fast, the default), or as a real
 * child process through bin/airlock.cjs (for process-level checks: exit status, stdin, RSS).
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../electron/cli/main.js';
import type { CliIo } from '../../electron/cli/io.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const CLI_BIN = join(REPO_ROOT, 'bin', 'airlock.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The one JSON object a `--json` command prints on stdout. */
export function parseJson<T = Record<string, unknown>>(result: CliResult): T {
  const text = result.stdout.trim();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`stdout is not one JSON object (exit ${result.code}).\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/** A short description for expect(..., message) so a failing exit code shows what the CLI said. */
export function describeResult(result: CliResult): string {
  return `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer | string) => chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
  return () => Buffer.concat(chunks).toString('utf8');
}

export interface InProcessOptions {
  /** Extra environment; AIRLOCK_HOME is removed unless given here. */
  env?: NodeJS.ProcessEnv;
  /** What stdin delivers; stdin is never a TTY. */
  stdin?: string;
  /** Pretend stderr is a terminal, so progress lines are written to it. */
  stderrIsTTY?: boolean;
  /** Ctrl-C: aborting it cancels the running command. */
  signal?: AbortSignal;
  /** Sees stderr text as it is written (e.g. to cancel at a given progress phase). */
  onStderr?: (text: string) => void;
  /** Define every command, not only the one the arguments name (runCli's `defineAll`). */
  defineAll?: boolean;
}

/** `airlock ARGS` in this process, with captured stdout/stderr and a non-TTY stdin. */
export async function runAirlock(args: readonly string[], options: InProcessOptions = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const readOut = collect(stdout);
  const readErr = collect(stderr);
  if (options.onStderr) {
    const listener = options.onStderr;
    stderr.on('data', (chunk: Buffer | string) => listener(chunk.toString()));
  }
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]) as CliIo['stdin'];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AIRLOCK_HOME;
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    env: { ...env, ...options.env },
    stderrIsTTY: options.stderrIsTTY ?? false,
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await runCli(args, io, options.defineAll);
  stdout.end();
  stderr.end();
  // PassThrough delivers written data on the next ticks: let it drain before reading.
  await new Promise<void>((resolve) => setImmediate(resolve));
  return { code, stdout: readOut(), stderr: readErr() };
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to the child's stdin, which is then closed (a pipe: never a TTY). */
  stdin?: string;
  /** Streamed through a pipe into the child's stdin instead (`cat FILE | airlock ...`). */
  stdinFile?: string;
  /** Run the CLI under a wrapper, e.g. ['/usr/bin/time', '-f', '%M', '-o', file]. */
  wrapper?: readonly string[];
}

/** `node bin/airlock.cjs ARGS` as a child process: what `npx airlock` runs. */
export function spawnAirlock(args: readonly string[], options: SpawnOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AIRLOCK_HOME;
  // vitest sets NODE_OPTIONS/loader variables for its workers; the child must run like a user's shell would.
  delete env.NODE_OPTIONS;
  delete env.VITEST;
  delete env.VITEST_POOL_ID;
  delete env.VITEST_WORKER_ID;
  const command = [...(options.wrapper ?? []), process.execPath, CLI_BIN, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, command.slice(1), {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    // The child may stop reading early (a refused bundle): the rest of the pipe is not an error here.
    child.stdin.on('error', () => undefined);
    if (options.stdinFile !== undefined) createReadStream(options.stdinFile).on('error', reject).pipe(child.stdin);
    else child.stdin.end(options.stdin ?? '');
  });
}
