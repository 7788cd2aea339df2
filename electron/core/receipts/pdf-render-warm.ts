/**
 * A receipt PDF renderer kept running between receipts, for a long-running importer (`airlock
 * watch`). Starting the one-shot renderer (pdf-render-host.ts: a fresh Node, pdfkit, fontkit and
 * three DejaVu fonts) was about 90% of a small bundle's time in the watcher (1.9 s of 2.2 s per
 * bundle on a loaded two-core machine, docs/design-notes.md "Inbox throughput"); a warm one
 * answers in a fraction of that. It is the same child process and script
 * (workers/receipt-pdf-worker.ts), told to serve: jobs one at a time, each with its own id.
 *
 * What stays as with the one-shot renderer:
 *   memory    its own process with the same heap bounds; retired (its channel closed, so it ends)
 *             after `maxJobs` receipts or once its RSS after a job passes `maxRssBytes`, and a
 *             fresh one is started for the next receipt: bounded over days
 *   failures  a renderer that crashes, or does not answer within `timeoutMs` (killed, SIGKILL),
 *             fails that one receipt (the caller's RECEIPT_PDF_FAILED) and is replaced for the next;
 *             the watcher never waits on it longer than the timeout
 *   lifetime  it dies with its parent: a parent killed (even by SIGKILL) closes the IPC channel and
 *             the renderer exits on 'disconnect'; it is in the parent's process group (a power-cut
 *             harness that kills the group kills it too) and holds no file open between jobs
 * Only under plain Node (a child process); inside Electron the caller keeps the one-shot worker thread.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AirlockError } from '../errors.js';
import { revivedError } from '../workers/posted-error.js';
import { workerScript } from '../workers/worker-script.js';
import { RENDER_TIMEOUT_MS, rendererExecArgv } from './pdf-render-host.js';
import type { ReceiptFonts } from './pdf-fonts.js';
import type { PdfRenderJob, PdfServeReply, PdfServeRequest, PdfWarmRequest } from './pdf-render-job.js';

export interface WarmRendererOptions {
  /** Receipts one renderer makes before it is replaced (default 500). */
  maxJobs?: number | undefined;
  /** The renderer's RSS, as it reports it after a job, past which it is replaced (default 160 MB). */
  maxRssBytes?: number | undefined;
  /** Per receipt: past this the renderer is killed and the receipt fails (default RENDER_TIMEOUT_MS). */
  timeoutMs?: number | undefined;
  /**
   * A renderer for one job's receipts (pdf-render-early.ts), not for many: started without V8's
   * optimizing compilers (pdf-render-host.ts, ONE_SHOT_V8_FLAGS). Default false.
   */
  oneShot?: boolean | undefined;
}

interface Pending {
  /** The renderer the job went to: only its reply, error or exit settles the job (a retired one may end later). */
  child: ChildProcess;
  id: number;
  resolve: (reply: PdfServeReply) => void;
  reject: (error: Error) => void;
}

export class WarmPdfRenderer {
  private child: ChildProcess | null = null;
  private jobsByChild = 0;
  private nextId = 1;
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** How many renderer processes were started (tests and the design note's numbers). */
  started = 0;
  private readonly maxJobs: number;
  private readonly maxRssBytes: number;
  private readonly timeoutMs: number;
  private readonly oneShot: boolean;

  constructor(options: WarmRendererOptions = {}) {
    this.maxJobs = options.maxJobs ?? 500;
    this.maxRssBytes = options.maxRssBytes ?? 160 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? RENDER_TIMEOUT_MS;
    this.oneShot = options.oneShot ?? false;
  }

  /** The running renderer's pid, if one runs now. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** One receipt; jobs are taken one at a time, in the order given. */
  render(job: PdfRenderJob, signal?: AbortSignal): Promise<Buffer> {
    const run = this.queue.then(() => this.renderNow(job, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Lets the renderer go (it ends when its channel closes); a later render() would start none. */
  close(): void {
    this.closed = true;
    this.retire();
  }

  /**
   * Start the renderer now and have it load pdfkit and parse `fonts` before any job (a one-shot
   * job's early start, pdf-render-early.ts). A renderer that cannot be started now is started by
   * the first render(), which then fails as it would have (RECEIPT_PDF_FAILED); one that dies
   * before its job is replaced by a fresh one when the job comes.
   */
  prestart(fonts: ReceiptFonts): void {
    if (this.closed || this.child !== null) return;
    const child = this.start();
    const request: PdfWarmRequest = { kind: 'warm', fonts };
    child.send(request, () => undefined);
    // Until a job is out the channel must not keep this process alive (start() leaves it referenced).
    child.channel?.unref();
  }

  /** Ends the renderer at once (SIGKILL: it is idle or its work is no longer wanted); a later render() would start none. */
  stop(): void {
    this.closed = true;
    const child = this.child;
    if (child !== null) this.kill(child);
  }

  private async renderNow(job: PdfRenderJob, signal: AbortSignal | undefined): Promise<Buffer> {
    if (this.closed) throw new Error('The PDF renderer was closed');
    if (signal?.aborted) throw new Error('The PDF renderer was cancelled before it started');
    const child = this.child ?? this.start();
    const id = this.nextId++;
    this.jobsByChild += 1;
    const reply = await new Promise<PdfServeReply>((resolve, reject) => {
      const stop = (why: string): void => {
        // A renderer that hangs (or a cancel) is killed outright: the next receipt gets a fresh one.
        this.kill(child);
        pending.reject(new Error(why));
      };
      const timer = setTimeout(() => stop(`The PDF renderer gave no PDF within ${Math.round(this.timeoutMs / 1000)} s and was stopped`), this.timeoutMs);
      const onAbort = (): void => stop('The PDF renderer was cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending = null;
        child.channel?.unref();
      };
      const pending: Pending = {
        child,
        id,
        resolve: (r) => {
          settle();
          resolve(r);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      };
      this.pending = pending;
      // While a job is out the channel keeps this process alive; between jobs it must not (a CLI ends when its work does).
      child.channel?.ref();
      const request: PdfServeRequest = { kind: 'serve', id, job };
      child.send(request, (error) => {
        if (error === null || this.pending !== pending) return;
        this.kill(child);
        pending.reject(new Error(`The PDF renderer could not be given the job: ${error.message}`));
      });
    });
    if (this.jobsByChild >= this.maxJobs || reply.rss > this.maxRssBytes) this.retire();
    if (!reply.reply.ok) throw revivedError(reply.reply.error);
    const pdf = reply.reply.pdf;
    return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  }

  private start(): ChildProcess {
    const where = workerScript('receipt-pdf-worker');
    if (!existsSync(where.entry)) throw new AirlockError('INTERNAL', `The PDF renderer ${fileURLToPath(where.entry)} is missing from this installation.`);
    const child = fork(fileURLToPath(where.script), where.argv, {
      execArgv: rendererExecArgv(this.oneShot),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.started += 1;
    this.child = child;
    this.jobsByChild = 0;
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    // Its stderr pipe must not keep this process alive between jobs either.
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    child.unref();
    child.on('message', (message: PdfServeReply) => {
      if (this.pending?.child === child && message.id === this.pending.id) this.pending.resolve(message);
    });
    child.on('error', (error) => {
      if (this.child === child) this.child = null;
      if (this.pending?.child === child) this.pending.reject(error);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const last = stderr
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .at(-1);
      if (this.pending?.child === child)
        this.pending.reject(new Error(`The PDF renderer ended without a PDF (${signal ?? `exit code ${code}`})${last === undefined ? '' : `: ${last}`}`));
    });
    return child;
  }

  /** Replaced: the renderer's channel is closed, it finishes nothing more and exits; one started ahead that never got a job is killed (it may be busy warming up). */
  private retire(): void {
    const child = this.child;
    this.child = null;
    if (child === null) return;
    if (child.connected && this.jobsByChild > 0) child.disconnect();
    else this.kill(child);
  }

  private kill(child: ChildProcess): void {
    if (this.child === child) this.child = null;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
