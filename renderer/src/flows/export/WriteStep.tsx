/** Export step 5: the bundle being written, live, with cancel. */
import { Stack } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import { formatBytes } from '../../../../shared/format.js';
import type { SelectionSummary } from '../../../../shared/ipc.js';
import type { Progress } from '../../../../shared/progress.js';
import { JobProgress } from '../../components/JobProgress.js';
import { StepHeader } from '../../components/StepHeader.js';

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
        proven={[`The selection holds ${summary.totalFiles} files, ${formatBytes(summary.totalBytes)}.`, `Destination: ${displayText(outDir)}.`, 'The passphrase unlocked the station key (or the job stops at signing).']}
      />
      <JobProgress progress={progress} cancelling={cancelling} {...(onCancel ? { onCancel } : {})} />
    </Stack>
  );
}
