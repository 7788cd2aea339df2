import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { lineText } from '../../shared/display-text.js';
import { AirlockError } from '../core/index.js';

/** Everything the CLI touches of its process, injectable so tests run it in-process. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  /** Progress lines go to stderr only when it is a terminal. */
  stderrIsTTY: boolean;
  /** Aborted on Ctrl-C: long operations stop and leave nothing half-written. */
  signal: AbortSignal;
}

/** An io that goes nowhere: for reading the program's definitions (man page, completions, tests) without running a command. */
export function inertIo(): CliIo {
  return { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {}, stderrIsTTY: false, signal: new AbortController().signal };
}

/** A report's lines without trailing blanks (a column left empty must not leave spaces behind). */
export function tidyLines(text: string): string {
  return text.replace(/[ \t]+$/gmu, '');
}

/**
 * One or more lines to stdout or stderr. The last guard against hostile text: a value the
 * command forgot to pass through displayText still cannot reach the terminal as an escape
 * sequence, a CR or a bidi control (lineText; exact on --json text, see shared/display-text.ts).
 */
export function write(stream: Writable, text: string): void {
  // lineText first: JavaScript's multiline `$` also matches before CR, U+2028 and U+2029, so tidying
  // raw text would cut the spaces before one of them out of a --json value (and alter it).
  const tidy = tidyLines(lineText(text));
  stream.write(tidy.endsWith('\n') ? tidy : `${tidy}\n`);
}

/** All of stdin (`-` as a file name), refusing more than `limit` bytes: keys and passphrases are small. */
export async function readStdin(io: CliIo, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size > limit) throw new AirlockError('USAGE', `stdin holds more than ${limit} bytes: too large for ${what}.`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * Runs `use` with a path to read: the file itself, or for `-` a private temporary copy of stdin
 * (the station reads some files twice, e.g. `keys trust` shows the key, then trusts it), removed after.
 */
export async function withInputFile<T>(io: CliIo, file: string, what: string, use: (path: string) => Promise<T>): Promise<T> {
  if (file !== '-') return use(file);
  if (io.stdin.isTTY) throw new AirlockError('USAGE', `"-" reads ${what} from a pipe (e.g. cat FILE | airlock ...); stdin is a terminal.`);
  const bytes = await readStdin(io, 16 * 1024 * 1024, what);
  const dir = await mkdtemp(join(tmpdir(), 'airlock-stdin-'));
  try {
    const path = join(dir, 'stdin');
    await writeFile(path, bytes, { mode: 0o600, flag: 'wx' });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `-` as the bundle: read it from stdin, once, as it arrives (`ssh host cat B.airlock.tar |
 * airlock verify -`). Never from a terminal: nobody types a tar archive.
 */
export function bundleFromStdin(io: CliIo, bundle: string): { stream?: Readable } {
  if (bundle !== '-') return {};
  if (io.stdin.isTTY)
    throw new AirlockError('USAGE', '"-" reads the bundle from a pipe (e.g. ssh HOST cat B.airlock.tar | airlock verify -); stdin is a terminal.');
  return { stream: io.stdin };
}
