/** Verification running: signature first, then every file hashed against the signed manifest. */
import { Stack } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { Progress } from '../../../../shared/progress.js';
import { JobProgress } from '../../components/JobProgress.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useT } from '../../i18n/useT.js';

export interface VerifyingStepProps {
  flow: 'Import' | 'Verify';
  of: number;
  bundlePath: string;
  progress: Progress | null;
  cancelling: boolean;
  onCancel?: (() => void) | undefined;
}

export function VerifyingStep({ flow, of, bundlePath, progress, cancelling, onCancel }: VerifyingStepProps) {
  const t = useT();
  return (
    <Stack>
      <StepHeader
        flow={t(flow === 'Import' ? 'flow.import' : 'flow.verify')}
        step={2}
        of={of}
        title={t('verify.running.title')}
        happens={t('verify.running.happens')}
        proven={[t('verify.running.bundleFile', { path: displayText(bundlePath) })]}
      />
      <JobProgress progress={progress} cancelling={cancelling} onCancel={onCancel} />
    </Stack>
  );
}
