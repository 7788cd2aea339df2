/** The verification report: signer card, facts, per-file problems; and where the flow goes next. */
import { Button, Group, Stack } from '@mantine/core';
import type { VerifyReport } from '../../../../shared/ipc.js';
import { StepHeader } from '../../components/StepHeader.js';
import { VerificationReport } from '../../components/VerificationReport.js';

export interface ReportStepProps {
  flow: 'Import' | 'Verify';
  of: number;
  report: VerifyReport;
  onAnother: () => void;
  /** Import only: go on to the destination (offered only when the bundle verified). */
  onContinue?: () => void;
}

export function ReportStep({ flow, of, report, onAnother, onContinue }: ReportStepProps) {
  const happens = report.ok
    ? onContinue
      ? 'Next you choose where the files go. The import checks every byte again as it copies them.'
      : 'Nothing more: this was a check only. Nothing was written.'
    : 'Nothing will be imported. Follow the next step given for each problem.';
  return (
    <Stack>
      <StepHeader flow={flow} step={3} of={of} title={report.ok ? 'Bundle verified' : 'Bundle rejected'} happens={happens} />
      <VerificationReport report={report} />
      <Group justify="space-between">
        <Button variant="default" onClick={onAnother}>
          {flow === 'Import' ? 'Choose another bundle' : 'Verify another bundle'}
        </Button>
        {report.ok && onContinue ? <Button onClick={onContinue}>Next: destination</Button> : null}
      </Group>
    </Stack>
  );
}
