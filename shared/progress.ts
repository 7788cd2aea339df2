/** Progress of a long operation, reported as data (never as text) so CLI and UI render it their own way. */
export type ProgressPhase =
  | 'scanning'
  | 'hashing'
  | 'signing'
  | 'writing'
  | 'syncing'
  | 'verifying-signature'
  | 'verifying-payload'
  /** Export to removable media: the files just written, read back past the page cache and compared. */
  | 'reading-back';

export interface Progress {
  phase: ProgressPhase;
  bytesDone: number;
  bytesTotal: number | null;
  filesDone: number;
  filesTotal: number | null;
  /** Bytes per second over the recent window; null until measurable. */
  rateBytesPerSecond: number | null;
  /** Seconds left at the current rate; null when the total or rate is unknown. */
  etaSeconds: number | null;
  /**
   * Seconds left for the whole job (this phase and the ones still to come), at the current
   * rate; null or absent when unknown. Core's job-eta estimator adds it (electron/core/jobs/job-eta.ts).
   */
  jobEtaSeconds?: number | null | undefined;
}

export type ProgressListener = (progress: Progress) => void;
