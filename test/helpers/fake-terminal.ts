/**
 * `airlock ...` in-process with stdin playing a terminal (isTTY, raw mode) that types the next
 * scripted answer each time a prompt is written to stderr: for the passphrase retries and the
 * fingerprint prompt, which only exist on a terminal.
 */
import { PassThrough, Readable, Writable } from 'node:stream';
import { runCli } from '../../electron/cli/main.js';
import type { CliIo } from '../../electron/cli/io.js';
import type { CliResult } from './cli-runner.js';

export interface Terminal {
  io: CliIo;
  /** The prompts seen so far, in order. */
  prompts: string[];
  stdout(): string;
  stderr(): string;
}

/** A terminal answering prompts that end in ": " with `answers`, in order; after the last, it types nothing. */
export function fakeTerminal(answers: readonly string[]): Terminal {
  const queue = [...answers];
  const prompts: string[] = [];
  const out: Buffer[] = [];
  const err: string[] = [];
  const stdin = new Readable({ read() {} }) as CliIo['stdin'];
  stdin.isTTY = true;
  stdin.setRawMode = () => stdin;
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  const stderr = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const text = chunk.toString();
      err.push(text);
      if (text.endsWith(': ')) {
        prompts.push(text);
        const answer = queue.shift();
        // Typed after the prompt is shown, as a person would (the prompt listens by then).
        if (answer !== undefined) setImmediate(() => stdin.push(`${answer}\r`));
      }
      callback();
    },
  });
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AIRLOCK_HOME;
  const io: CliIo = { stdout, stderr, stdin, env, stderrIsTTY: false, signal: new AbortController().signal };
  return { io, prompts, stdout: () => Buffer.concat(out).toString('utf8'), stderr: () => err.join('') };
}

/** `airlock ARGS` at a terminal that types `answers`. */
export async function runAtTerminal(args: readonly string[], answers: readonly string[]): Promise<CliResult & { prompts: string[] }> {
  const terminal = fakeTerminal(answers);
  const code = await runCli(args, terminal.io);
  await new Promise<void>((resolve) => setImmediate(resolve));
  return { code, stdout: terminal.stdout(), stderr: terminal.stderr(), prompts: terminal.prompts };
}
