/**
 * The time left for a whole job, not just its current phase. ProgressTracker measures one phase
 * at a time (hashing, then writing, then reading back); an export's "1 minute left" while hashing
 * says nothing of the writing still to come. This wraps a job's progress listener and adds
 * `jobEtaSeconds`: the bytes left in this phase plus the bytes of the phases still to come (each
 * estimated as the largest total seen so far: the payload passes over the same bytes), at the
 * current rate. An estimate, labelled as one in the app.
 */
import type { ProgressListener, ProgressPhase } from '../../../shared/progress.js';

/**
 * The passes of each job over its bytes, in order; a pass may be reported as several phases.
 * Other phases (scanning, signing, syncing) are short or unmeasured.
 */
export const JOB_PLANS = {
  export: [['hashing'], ['writing']],
  /** The one-pass export to a folder (design-notes §6): one pass hashes and writes the records. */
  'export-one-pass': [['hashing-and-writing']],
  /** Two passes, or one (a whole file on ext4 and the like: media-output.ts's openOnePass) where the hashing pass is not. */
  'export-to-media': [['hashing'], ['writing', 'hashing-and-writing'], ['reading-back']],
  /** The bundle is read once: the signature phase is that one read's start (the tag files). */
  verify: [['verifying-signature', 'verifying-payload']],
  import: [['verifying-signature', 'verifying-payload']],
} as const satisfies Record<string, ReadonlyArray<readonly ProgressPhase[]>>;

export type JobPlan = ReadonlyArray<readonly ProgressPhase[]>;

export function withJobEta(plan: JobPlan, listener: ProgressListener): ProgressListener;
export function withJobEta(plan: JobPlan, listener: ProgressListener | undefined): ProgressListener | undefined;
export function withJobEta(plan: JobPlan, listener: ProgressListener | undefined): ProgressListener | undefined {
  if (!listener) return undefined;
  /** Index in `plan` of the last pass entered; -1 before the first. */
  let entered = -1;
  let estimate = 0;
  let rate: number | null = null;
  return (progress) => {
    if (progress.bytesTotal !== null && progress.bytesTotal > estimate) estimate = progress.bytesTotal;
    let index = -1;
    for (let i = Math.max(0, entered); i < plan.length; i += 1) {
      if (plan[i]?.includes(progress.phase)) {
        index = i;
        break;
      }
    }
    const inPlan = index >= 0;
    if (inPlan) entered = index;
    if (inPlan && progress.rateBytesPerSecond !== null && progress.rateBytesPerSecond > 0) rate = progress.rateBytesPerSecond;

    let jobEtaSeconds: number | null = null;
    if (rate !== null && estimate > 0) {
      const later = plan.length - (entered + 1);
      if (inPlan) {
        const here = progress.bytesTotal === null ? estimate : Math.max(0, progress.bytesTotal - progress.bytesDone);
        jobEtaSeconds = (here + later * estimate) / rate;
      } else {
        // Between passes (signing, syncing): what this phase says of itself, plus the passes to come.
        jobEtaSeconds = (progress.etaSeconds ?? 0) + (later * estimate) / rate;
      }
    }
    listener({ ...progress, jobEtaSeconds });
  };
}
