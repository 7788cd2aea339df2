import type { Readable, Writable } from 'node:stream';

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

export function write(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
