/**
 * The job host: every export, verify and import runs in its own worker thread so the main
 * process (and with it the window) never waits on hashing or disk I/O (docs/design.md §4). It keeps
 * a snapshot of each job for the renderer's job list, relays the worker's progress (already
 * throttled to about four reports a second by core's ProgressTracker) as events, and cancels
 * by asking the worker to abort its AbortSignal: terminating the thread instead would skip
 * core's clean-up and could leave a temp file behind.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { errorMessage, type ErrorInfo } from '../../../shared/errors.js';
import {
  AuditVerifySchema,
  ExportResultSchema,
  FeedImportResultSchema,
  StagedSummaryViewSchema,
  ImportResultSchema,
  MediaVerifyReportSchema,
  QuarantineReleaseResultSchema,
  VerifyResultSchema,
  type JobEvent,
  type JobKind,
  type JobSnapshot,
} from '../../../shared/ipc.js';
import type { HostToWorker, JobRequests, JobStart, WorkerToHost } from '../../../shared/job-protocol.js';
import type { MediaVerifyView, QuarantineDetailView, QuarantineReleaseView } from '../../../shared/ipc.js';
import type { MediaVerifyReport, QuarantineDetail, QuarantineReleaseOutcome } from '../../core/index.js';

// The verify-medium result schema describes core's report; this fails to compile when they drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const verifyMediumInSync: Same<MediaVerifyView, MediaVerifyReport> = true;
void verifyMediumInSync;
// Likewise a quarantine release's outcome (its import as the import result schema states it), and the detail less its folder path.
const releaseInSync: Same<Omit<QuarantineReleaseView, 'import'>, Omit<QuarantineReleaseOutcome, 'import'>> = true;
const detailInSync: Same<QuarantineDetailView, Omit<QuarantineDetail, 'path'>> = true;
void releaseInSync;
void detailInSync;

export interface JobHostOptions {
  /** The worker entry: the built job-worker in the app, a tsx bootstrap in tests. */
  workerScript: string | URL;
  /** Extra Worker options (tests pass execArgv to load TypeScript). */
  workerOptions?: Omit<WorkerOptions, 'workerData'>;
  station: { home: string; operator?: string };
  onEvent?: (event: JobEvent) => void;
  /** Finished jobs kept for the job list; older ones are forgotten. */
  keepFinished?: number;
}

const RESULT_SCHEMAS = {
  export: ExportResultSchema,
  verify: VerifyResultSchema,
  import: ImportResultSchema,
  'verify-medium': MediaVerifyReportSchema,
  'quarantine-release': QuarantineReleaseResultSchema,
  'feed-import': FeedImportResultSchema,
  heartbeat: ExportResultSchema,
  'export-prepare': StagedSummaryViewSchema,
  'export-finish': ExportResultSchema,
  'audit-verify': AuditVerifySchema,
} as const;

interface Entry {
  snapshot: JobSnapshot;
  worker: Worker;
  finished: Promise<JobSnapshot>;
  cancelRequested: boolean;
}

function internalError(): ErrorInfo {
  return { code: 'INTERNAL', message: errorMessage('INTERNAL') };
}

function subjectOf<K extends JobKind>(kind: K, request: JobRequests[K]): string {
  if ('bundlePath' in request) return request.bundlePath;
  if ('stagedDir' in request) return request.outDir ?? request.mediumIds?.join(', ') ?? request.stagedDir;
  if (kind === 'export-prepare' && 'selection' in request) return request.name ?? request.selection[0] ?? kind;
  if ('reason' in request) return request.id;
  if ('destination' in request) return request.destination.kind === 'folder' ? request.destination.path : request.destination.mediumId;
  if ('mediumId' in request) return request.mediumId;
  if ('outDir' in request) return request.outDir;
  return kind;
}

export class JobHost {
  private readonly jobs = new Map<string, Entry>();
  private readonly keepFinished: number;

  constructor(private readonly options: JobHostOptions) {
    this.keepFinished = options.keepFinished ?? 50;
  }

  /** Start a job in a fresh worker; returns its id at once. */
  start<K extends JobKind>(kind: K, request: JobRequests[K]): string {
    const id = randomUUID();
    const start = { kind, request, station: this.options.station } as JobStart;
    const worker = new Worker(this.options.workerScript, { ...this.options.workerOptions, workerData: start });
    const snapshot = {
      id,
      kind,
      state: 'running',
      // The audit check works on the station's log, which lives in its database.
      subject: kind === 'audit-verify' ? join(this.options.station.home, 'airlock.db') : subjectOf(kind, request),
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: null,
      error: null,
      result: null,
    } as JobSnapshot;

    let settle: (snapshot: JobSnapshot) => void = () => undefined;
    const entry: Entry = { snapshot, worker, cancelRequested: false, finished: new Promise((resolve) => (settle = resolve)) };
    this.jobs.set(id, entry);

    let ended = false;
    const finish = (outcome: { result: unknown } | { error: ErrorInfo }): void => {
      if (ended) return;
      ended = true;
      const finishedAt = new Date().toISOString();
      if ('result' in outcome) {
        const parsed = RESULT_SCHEMAS[kind].safeParse(outcome.result);
        entry.snapshot = parsed.success
          ? ({ ...entry.snapshot, state: 'succeeded', finishedAt, result: parsed.data } as JobSnapshot)
          : { ...entry.snapshot, state: 'failed', finishedAt, error: internalError() };
      } else {
        const state = outcome.error.code === 'CANCELLED' ? 'cancelled' : 'failed';
        entry.snapshot = { ...entry.snapshot, state, finishedAt, error: outcome.error };
      }
      this.forgetOldJobs();
      this.options.onEvent?.({ type: 'finished', job: entry.snapshot });
      settle(entry.snapshot);
    };

    worker.on('message', (message: WorkerToHost) => {
      if (message.type === 'progress') {
        entry.snapshot = { ...entry.snapshot, progress: message.progress };
        this.options.onEvent?.({ type: 'progress', jobId: id, progress: message.progress });
      } else if (message.type === 'done') {
        finish({ result: message.result });
      } else {
        finish({ error: message.error });
      }
    });
    worker.on('error', (error) => {
      console.error(`Airlock ${kind} job ${id}: the worker failed:`, error);
      finish({ error: internalError() });
    });
    worker.on('exit', () => finish({ error: internalError() }));
    return id;
  }

  get(id: string): JobSnapshot | undefined {
    return this.jobs.get(id)?.snapshot;
  }

  /** Newest first. */
  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((e) => e.snapshot).reverse();
  }

  /** Ask a running job to stop; false when there is no such running job. Resolves when it has. */
  cancel(id: string): boolean {
    const entry = this.jobs.get(id);
    if (!entry || entry.snapshot.state !== 'running') return false;
    if (!entry.cancelRequested) {
      entry.cancelRequested = true;
      entry.worker.postMessage({ type: 'cancel' } satisfies HostToWorker);
    }
    return true;
  }

  /** Resolves with the final snapshot once the job has ended (at once if it has). */
  whenFinished(id: string): Promise<JobSnapshot> {
    const entry = this.jobs.get(id);
    if (!entry) return Promise.reject(new Error(`No job ${id}`));
    return entry.finished;
  }

  /** Cancel everything still running and wait for it to wind down (app quit, test teardown). */
  async shutdown(): Promise<void> {
    const running = [...this.jobs.values()].filter((e) => e.snapshot.state === 'running');
    for (const entry of running) this.cancel(entry.snapshot.id);
    await Promise.all(running.map((e) => e.finished));
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((e) => e.snapshot.state !== 'running');
    for (const entry of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.jobs.delete(entry.snapshot.id);
  }
}
