/**
 * Progress of a long operation, reported as data (never as text) so CLI and UI render it their own way.
 *
 * Each phase is named for what the operation does during it, by the code that does it (labels:
 * shared/phase-labels.ts). An export to a folder signed in process takes one pass over the sources
 * (scanning, hashing-and-writing, signing, writing-tag-files, syncing); the two-pass export
 * (GnuPG signers, removable media) hashes first and writes after signing (scanning, hashing,
 * signing, writing, syncing), then, on a medium, reads back. Every export ends with writing-receipts,
 * after its bundle is published.
 */
export type ProgressPhase =
  | 'scanning'
  /** Two-pass export, first pass: every source read to record its SHA-256. */
  | 'hashing'
  /** One-pass export: every source read once, hashed, and its record written at its place in the bundle. */
  | 'hashing-and-writing'
  | 'signing'
  /** Two-pass export, second pass: the bundle written, every source read again and checked against its hash. */
  | 'writing'
  /** One-pass export: the signed tag files written in front of the records already written. */
  | 'writing-tag-files'
  | 'syncing'
  | 'verifying-signature'
  | 'verifying-payload'
  /** Export to removable media: the files just written, read back past the page cache and compared. */
  | 'reading-back'
  /** Export of docker:// images: manifests and blobs fetched from the sending side's registry, each checked against its digest. */
  | 'pulling-images'
  /** Import with a registry target: blobs, then manifests, then indexes sent to the internal registry. */
  | 'pushing-images'
  /** Verify and import: the signed payload manifest parsed and every listed name checked, before any payload byte (counts are lines). */
  | 'reading-manifest'
  /** Import: every imported file's path, size and SHA-256 staged for the audit log, before the commit (counts are files). */
  | 'recording-files'
  /**
   * Export, after the bundle is published and on record, and import, after it is settled: the
   * receipts (JSON, HTML, PDF and their signatures) and the signed audit checkpoint are written.
   * The transfer can no longer be undone, so a cancel changes nothing here.
   */
  | 'writing-receipts'
  /**
   * Import, right after the commit rename (the files are at their final name): its claim settled
   * and its audit event with every file's row written, in one transaction, then the rows staged
   * for it dropped. Past the commit point: a cancel changes nothing here (counts are files).
   */
  | 'settling'
  /** `audit verify`: every event of the audit log's hash chain read, linked and its hash recomputed (counts are events). */
  | 'verifying-audit-chain';

/** Every phase, in the order an operation may pass through them (the IPC schema's enum). */
export const PROGRESS_PHASES = [
  'scanning',
  'hashing',
  'hashing-and-writing',
  'signing',
  'writing',
  'writing-tag-files',
  'syncing',
  'verifying-signature',
  'verifying-payload',
  'reading-back',
  'pulling-images',
  'pushing-images',
  'reading-manifest',
  'recording-files',
  'writing-receipts',
  'settling',
  'verifying-audit-chain',
] as const satisfies readonly ProgressPhase[];

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
  /** What this progress is about when a phase works item by item (the image being pushed: `repository:tag`). */
  item?: string | undefined;
  /**
   * Counted items (filesDone/filesTotal, in the phase's unit: PHASE_COUNT_UNIT) per second over
   * the recent window, for a phase that counts items and reads no bytes; null until measurable,
   * absent when the phase's rate is in bytes.
   */
  itemsPerSecond?: number | null | undefined;
}

/**
 * What filesDone/filesTotal count in a phase that does not count files. One field of counts
 * serves every phase; the unit follows from the phase, so no count is ever shown as files when
 * it is events.
 */
export type CountUnit = 'file' | 'event';
export const PHASE_COUNT_UNIT: Readonly<Partial<Record<ProgressPhase, CountUnit>>> = { 'verifying-audit-chain': 'event' };

export function countUnit(phase: ProgressPhase): CountUnit {
  return PHASE_COUNT_UNIT[phase] ?? 'file';
}

export type ProgressListener = (progress: Progress) => void;

/**
 * Phases past an operation's commit point (an export's publish, an import's commit rename): the
 * transfer has happened and a cancel can undo nothing, so no Cancel is offered in them.
 */
export const PHASES_PAST_COMMIT: ReadonlySet<ProgressPhase> = new Set<ProgressPhase>(['settling', 'writing-receipts']);

/** Whether a Cancel can still undo something while the job reports `phase` (false past the commit point). */
export function cancelCanUndo(phase: ProgressPhase | null | undefined): boolean {
  return phase === null || phase === undefined || !PHASES_PAST_COMMIT.has(phase);
}
