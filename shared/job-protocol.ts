/**
 * Messages between the job host (electron/main/jobs) and a job worker (electron/worker).
 * One worker runs one job: the job arrives as workerData, cancellation as a message, and the
 * worker answers with progress messages and exactly one `done` or `failed`.
 */
import type { ErrorInfo } from './errors.js';
import type { JobKind } from './ipc.js';
import type { Progress } from './progress.js';

export interface JobRequests {
  export: { selection: string[]; outDir: string; name?: string; passphrase: string };
  verify: { bundlePath: string };
  import: { bundlePath: string; destDir: string; allowReplay?: boolean };
}

/** workerData of a job worker. */
export type JobStart = {
  [K in JobKind]: { kind: K; request: JobRequests[K]; station: { home: string; operator?: string } };
}[JobKind];

export type HostToWorker = { type: 'cancel' };

export type WorkerToHost =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ErrorInfo };
