/** Export step 5: the bundle being written, live, with cancel. */
import { Stack } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import { formatBytes } from '../../../../shared/format.js';
import type { SelectionSummary } from '../../../../shared/ipc.js';
import type { Progress } from '../../../../shared/progress.js';
import { JobProgress } from '../../components/JobProgress.js';
import { plural } from '../../components/plural.js';
import { StepHeader } from '../../components/StepHeader.js';

/** Phases after signing: reaching one proves the key was unlocked and the manifest signed. */
const SIGNED_PHASES = new Set(['writing', 'syncing']);

export interface WriteStepProps {
  summary: SelectionSummary;
  outDir: string;
  progress: Progress | null;
  cancelling: boolean;
  /** Absent once the job has ended. */
  onCancel?: () => void;
}

export function WriteStep({ summary, outDir, progress, cancelling, onCancel }: WriteStepProps) {
  return (
    <Stack>
      <StepHeader
        flow="Export"
        step={5}
        of={6}
        title="Writing the bundle"
        happens="Each file is hashed, the manifest signed, and the bundle written under a temporary name, flushed to disk, then given its final name. If you cancel or anything fails, the temporary file is removed."
        proven={[
          `The selection holds ${plural(summary.totalFiles, 'file')}, ${formatBytes(summary.totalBytes)}.`,
          `Destination: ${displayText(outDir)}`,
          ...(progress && SIGNED_PHASES.has(progress.phase) ? ['The passphrase unlocked the station key and the manifest is signed.'] : []),
        ]}
      />
      <JobProgress progress={progress} cancelling={cancelling} {...(onCancel ? { onCancel } : {})} />
    </Stack>
  );
}
