import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/**
 * syncfs(2) of the file system holding one path, as often as asked, from one small long-lived
 * child. Node has no call for syncfs; coreutils' `sync --file-system` has. Spawning `sync` for
 * every call forks this process each time, and the CLI is 100+ MB by the middle of an import: a
 * fork copies its page tables and write-protects its heap, and every page the import writes next
 * takes a fault (measured: ~2,500 more minor faults per fork, 4-5 forks per 20,000-file import;
 * docs/design-notes.md "smallimp3"). Here this process forks once, into a shell of a few MB, and
 * that shell forks the `sync` for each call.
 *
 * What one call means is unchanged: each is a `sync --file-system` started after the call (so
 * it writes back everything staged before it) and reported by its exit status; a failure is
 * reported with what `sync` printed, never retried. Calls run one at a time (a call made while
 * one runs waits for it). The path is the shell's argument, never parsed by it.
 */
const LOOP = 'while read -r _; do sync --file-system -- "$1"; echo "$?"; done';

type Helper = ChildProcessByStdio<Writable, Readable, Readable>;

/** Whether the helper (the process and its pipes, which libuv counts apart) keeps this process's event loop alive. */
function holdOpen(child: Helper, hold: boolean): void {
  for (const handle of [child, child.stdin, child.stdout, child.stderr] as Array<{ ref?: () => void; unref?: () => void }>) {
    if (hold) handle.ref?.();
    else handle.unref?.();
  }
}

export class SyncfsHelper {
  private child: Helper | null = null;
  private tail: Promise<void> = Promise.resolve();
  /** The call waiting for its status line, and what the helper printed on stderr since it began. */
  private pending: { resolve: (status: string) => void; reject: (error: Error) => void } | null = null;
  private stdout = '';
  private stderr = '';
  private gone: Error | null = null;

  constructor(private readonly path: string) {}

  /** One syncfs of the path's file system, after every call made before it. */
  sync(): Promise<void> {
    const call = this.tail.then(() => this.once());
    this.tail = call.catch(() => undefined);
    return call;
  }

  /** End the helper (its stdin closed: the shell's loop ends; a `sync` running finishes on its own). */
  close(): void {
    const child = this.child;
    this.child = null;
    this.gone ??= new Error('The syncfs helper was closed');
    if (child !== null) child.stdin.end();
  }

  private async once(): Promise<void> {
    if (this.gone !== null) throw this.gone;
    const child = this.started();
    this.stderr = '';
    const status = await new Promise<string>((resolve, reject) => {
      this.pending = { resolve, reject };
      // While a call waits, the helper keeps the process alive; idle, it never does.
      holdOpen(child, true);
      child.stdin.write('\n');
    });
    holdOpen(child, false);
    if (status !== '0') {
      const said = this.stderr.trim();
      throw new Error(said !== '' ? said : `sync --file-system exited with status ${status}`);
    }
  }

  private started(): Helper {
    if (this.child !== null) return this.child;
    const child = spawn('sh', ['-c', LOOP, 'airlock-syncfs', this.path], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      this.stdout += text;
      let newline: number;
      while ((newline = this.stdout.indexOf('\n')) >= 0) {
        const line = this.stdout.slice(0, newline);
        this.stdout = this.stdout.slice(newline + 1);
        const pending = this.pending;
        this.pending = null;
        pending?.resolve(line);
      }
    });
    child.stderr.on('data', (text: string) => {
      this.stderr += text;
    });
    // A helper that could not start or ended under a call fails that call and every later one.
    const ended = (error: Error): void => {
      this.gone ??= error;
      this.child = null;
      const pending = this.pending;
      this.pending = null;
      pending?.reject(this.gone);
    };
    child.on('error', ended);
    child.on('close', (code, signal) => ended(new Error(`The syncfs helper ended (${signal ?? `status ${code}`}) ${this.stderr.trim()}`.trim())));
    // EPIPE when the helper died before a request: 'close' reports it.
    child.stdin.on('error', () => undefined);
    holdOpen(child, false);
    this.child = child;
    return child;
  }
}
