/**
 * A command scanner (policy `scan.command`, issue #16.1/#16.4): for sites whose scanner is a program,
 * not a daemon. Each file's bytes are written to a private temp folder (0700, the file 0600), the
 * program runs without a shell with `{}` in its arguments replaced by that file's path, and its
 * exit code is the verdict: the policy's clean codes are clean, its infected codes are found,
 * anything else (another code, a signal, a timeout, a program that cannot start) is not clean.
 * The temp copy is removed whatever happens.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { type FileHandle, access, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ScannerStatus } from '../../../shared/inspection.js';
import { errnoOf } from '../errors.js';
import { newestDatabaseIn, statusFromHeader } from './clamd/database-headers.js';
import { replyText } from './clamd/reply.js';
import type { FileScan, ScanVerdict, Scanner } from './contract.js';
import { SettledScan } from './settled-scan.js';

export interface CommandScannerOptions {
  argv: string[];
  cleanExitCodes: number[];
  infectedExitCodes: number[];
  timeoutMs: number;
  databaseDir: string | null;
  /** Where private temp folders are made (default the OS temp directory). */
  tempRoot?: string | undefined;
}

/** What of the program's output a verdict keeps (its last words, bounded). */
const OUTPUT_KEEP_BYTES = 8 * 1024;

/** The program's path: as given when it has a slash, else the first executable of that name on PATH. */
async function resolveProgram(program: string): Promise<string | null> {
  const candidates = program.includes('/')
    ? [program]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter((dir) => isAbsolute(dir))
        .map((dir) => join(dir, program));
  for (const candidate of candidates) {
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return null;
}

/** The last non-empty line of what the program said (its verdict line, for most scanners). */
function lastWords(output: Buffer): string {
  const lines = output
    .toString('utf8')
    .split(/\r?\n/u)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return replyText(lines.at(-1) ?? '');
}

class CommandFileScan implements FileScan {
  private aborted = false;

  constructor(
    private readonly options: CommandScannerOptions,
    private readonly dir: string,
    private readonly path: string,
    private readonly file: FileHandle,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.aborted) return;
    await this.file.write(chunk);
  }

  async finish(): Promise<ScanVerdict> {
    try {
      if (this.aborted) return { outcome: 'error', detail: 'the scan was cancelled' };
      await this.file.close();
      return await this.run();
    } catch (error) {
      return { outcome: 'error', detail: `the scan command failed: ${replyText(error instanceof Error ? error.message : String(error))}` };
    } finally {
      await this.cleanup();
    }
  }

  abort(): void {
    this.aborted = true;
    void this.cleanup();
  }

  private cleaning: Promise<void> | null = null;
  /** Close and remove the temp copy, once; every caller waits for the same removal. */
  private cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      await this.file.close().catch(() => undefined);
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.cleaning;
  }

  private run(): Promise<ScanVerdict> {
    const [program = '', ...args] = this.options.argv.map((arg) => arg.split('{}').join(this.path));
    return new Promise((resolve) => {
      const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      const output: Buffer[] = [];
      let kept = 0;
      const keep = (chunk: Buffer): void => {
        output.push(chunk);
        kept += chunk.length;
        while (kept > OUTPUT_KEEP_BYTES && output.length > 1) kept -= output.shift()?.length ?? 0;
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, this.options.timeoutMs);
      const onAbort = (): void => {
        this.aborted = true;
        child.kill('SIGKILL');
      };
      this.signal?.addEventListener('abort', onAbort, { once: true });
      child.once('error', (error) => {
        clearTimeout(timer);
        this.signal?.removeEventListener('abort', onAbort);
        const errno = errnoOf(error);
        resolve(
          errno === 'ENOENT' || errno === 'EACCES'
            ? { outcome: 'unavailable', detail: `the scan command ${replyText(program)} cannot be run (${errno})` }
            : { outcome: 'error', detail: `the scan command failed to start: ${replyText(error.message)}` },
        );
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        this.signal?.removeEventListener('abort', onAbort);
        const said = lastWords(Buffer.concat(output));
        if (this.aborted) resolve({ outcome: 'error', detail: 'the scan was cancelled' });
        else if (timedOut) resolve({ outcome: 'error', detail: `the scan command gave no verdict within ${Math.round(this.options.timeoutMs / 1000)} s` });
        else if (code === null) resolve({ outcome: 'error', detail: `the scan command was ended by ${signal ?? 'a signal'}` });
        else if (this.options.cleanExitCodes.includes(code)) resolve({ outcome: 'clean', detail: null });
        else if (this.options.infectedExitCodes.includes(code)) resolve({ outcome: 'found', detail: said.length > 0 ? said : `exit code ${code}` });
        else resolve({ outcome: 'error', detail: `the scan command exited ${code}${said.length > 0 ? `: ${said}` : ''}` });
      });
    });
  }
}

export class CommandScanner implements Scanner {
  readonly kind = 'command' as const;
  readonly address: string;

  constructor(private readonly options: CommandScannerOptions) {
    this.address = options.argv[0] ?? '';
  }

  async status(now: Date): Promise<ScannerStatus> {
    const program = await resolveProgram(this.address);
    const status: ScannerStatus = {
      kind: 'command',
      address: this.address,
      reachable: program !== null,
      engineVersion: null,
      databaseVersion: null,
      databaseDate: null,
      databaseAgeDays: null,
      databaseSource: null,
      error: program === null ? `the scan command ${replyText(this.address)} is not an executable program` : null,
    };
    if (this.options.databaseDir === null) return status;
    const newest = await newestDatabaseIn(this.options.databaseDir);
    if (newest === null)
      return {
        ...status,
        error: status.error ?? `the signature database’s version and date are unknown: ${this.options.databaseDir} holds no .cvd/.cld/.cud file`,
      };
    return { ...status, ...statusFromHeader(newest, now) };
  }

  async begin(signal?: AbortSignal): Promise<FileScan> {
    // mkdtemp makes the folder 0700: no other user can read the copy or swap it before the scan.
    let dir: string | null = null;
    try {
      dir = await mkdtemp(join(this.options.tempRoot ?? tmpdir(), 'airlock-scan-'));
      const path = join(dir, 'item');
      const file = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      return new CommandFileScan(this.options, dir, path, file, signal);
    } catch (error) {
      if (dir !== null) await rm(dir, { recursive: true, force: true });
      // No room for the temp copy (a full disk) is a scan that could not happen: not clean.
      return new SettledScan({ outcome: 'error', detail: `the scan command’s temp copy could not be made: ${errnoOf(error) ?? String(error)}` });
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
