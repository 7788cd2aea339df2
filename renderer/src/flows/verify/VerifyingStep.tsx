/** Verification running: signature first, then every file hashed against the signed manifest. */
import { Stack } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { Progress } from '../../../../shared/progress.js';
import { JobProgress } from '../../components/JobProgress.js';
import { StepHeader } from '../../components/StepHeader.js';

export interface VerifyingStepProps {
  flow: 'Import' | 'Verify';
  of: number;
  bundlePath: string;
  progress: Progress | null;
  cancelling: boolean;
  onCancel?: (() => void) | undefined;
}

export function VerifyingStep({ flow, of, bundlePath, progress, cancelling, onCancel }: VerifyingStepProps) {
  return (
    <Stack>
      <StepHeader
        flow={flow}
        step={2}
        of={of}
        title="Verifying the bundle"
        happens="The signature over the manifest is checked against the keys this station trusts before any manifest is believed; then every file is read once and its checksum compared. Nothing is written."
        proven={[`Bundle file: ${displayText(bundlePath)}`]}
      />
      <JobProgress progress={progress} cancelling={cancelling} onCancel={onCancel} />
    </Stack>
  );
}
