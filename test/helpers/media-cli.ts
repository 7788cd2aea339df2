/**
 * `airlock ...` in-process for the media suites, with two things the general runner lacks:
 * stderr is seen synchronously, as each progress line is written (so a test can pull a medium
 * or fill it at an exact phase), and stdin can play a terminal that answers prompts.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { runCli } from '../../electron/cli/main.js';
import type { CliIo } from '../../electron/cli/io.js';

export const PASSPHRASE = 'media test passphrase';

export interface RunOptions {
  /** Called synchronously with every piece of stderr text, before the CLI goes on. */
  onStderr?: (text: string) => void;
  /** Progress lines are written only when stderr is a terminal. */
  stderrIsTTY?: boolean;
  /** stdin is a terminal; each prompt written to stderr is answered with what this returns (null: no answer). */
  answer?: (prompt: string) => string | null;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export function json<T = Record<string, unknown>>(result: Result): T {
  try {
    return JSON.parse(result.stdout.trim()) as T;
  } catch {
    throw new Error(`not one JSON object (exit ${result.code})\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

export async function airlock(home: string, args: readonly string[], options: RunOptions = {}): Promise<Result> {
  const out: Buffer[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  const stdin = new Readable({ read() {} }) as CliIo['stdin'];
  if (options.answer) stdin.isTTY = true;
  else stdin.push(null);
  const stderr = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const text = chunk.toString();
      err.push(text);
      options.onStderr?.(text);
      const reply = options.answer?.(text);
      if (reply !== undefined && reply !== null) stdin.push(`${reply}\n`);
      callback();
    },
  });
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AIRLOCK_HOME;
  const io: CliIo = { stdout, stderr, stdin, env, stderrIsTTY: options.stderrIsTTY ?? false, signal: new AbortController().signal };
  const code = await runCli(['--home', home, ...args], io);
  stdout.end();
  await new Promise<void>((resolve) => setImmediate(resolve));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: err.join('') };
}

/** A station home with a key and `mediaRoots` in config.json; returns its home and passphrase file. */
export async function mediaStation(root: string, mediaRoots: readonly string[]): Promise<{ home: string; pass: string }> {
  const home = join(root, 'home');
  const pass = join(root, 'passphrase.txt');
  await writeFile(pass, `${PASSPHRASE}\n`, { mode: 0o600 });
  const made = await airlock(home, ['keys', 'generate', '--name', 'Media Test Station', '--passphrase-file', pass]);
  if (made.code !== 0) throw new Error(`keys generate failed: ${made.stderr}`);
  await setMediaRoots(home, mediaRoots);
  return { home, pass };
}

export async function setMediaRoots(home: string, mediaRoots: readonly string[]): Promise<void> {
  await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'media-test', mediaRoots }));
}
