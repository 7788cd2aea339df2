/**
 * The verification report: signer cards, per-file results, station policy findings, problems;
 * and where the flow goes next. In the import flow the destination comes only after all of it,
 * and not at all when the station's name rules would refuse the bundle.
 */
import { Alert, Button, Group, Stack } from '@mantine/core';
import type { VerifyReport } from '../../../../shared/ipc.js';
import { StepHeader } from '../../components/StepHeader.js';
import { VerificationReport } from '../../components/VerificationReport.js';
import { isQuarantineCase } from '../../components/inspection/quarantine-case.js';

export interface ReportStepProps {
  flow: 'Import' | 'Verify';
  of: number;
  report: VerifyReport;
  onAnother: () => void;
  /** Import only: go on to the destination (offered only when the bundle verified). */
  onContinue?: () => void;
  /** Import only: a bundle refused for what it holds goes on to an import that refuses it and keeps it in quarantine. */
  onQuarantine?: (() => void) | undefined;
}

export function ReportStep({ flow, of, report, onAnother, onContinue, onQuarantine }: ReportStepProps) {
  const failed = (check: string) => report.policy.findings.some((f) => f.check === check && f.outcome === 'fail');
  // Import refuses names its rules forbid, with no override: do not lead the operator on.
  const namesRefused = flow === 'Import' && failed('file-names');
  const replay = flow === 'Import' && failed('replay');
  const canContinue = report.ok && onContinue !== undefined && !namesRefused;
  const canQuarantine = flow === 'Import' && !report.ok && onQuarantine !== undefined && isQuarantineCase(report.problems);
  const happens = report.ok
    ? onContinue
      ? namesRefused
        ? 'Nothing will be imported: this station refuses some of the file names (see Station policy).'
        : 'Next you choose where the files go. The import checks every byte again as it copies them.'
      : 'Nothing more: this was a check only. Nothing was written.'
    : 'Nothing will be imported. Follow the next step given for each problem.';
  return (
    <Stack>
      <StepHeader flow={flow} step={3} of={of} title={report.ok ? 'Bundle verified' : 'Bundle rejected'} happens={happens} />
      <VerificationReport report={report} context="verify" />
      {replay && canContinue ? (
        <Alert color="yellow" title="Already imported here">
          This station imported this bundle before (see Station policy). The import will stop with REPLAY; you can then import it again on purpose, and that
          override is recorded.
        </Alert>
      ) : null}
      {canQuarantine ? (
        <Alert color="orange" title="Refused for what it holds" icon={<span aria-hidden="true">⚠</span>}>
          Content inspection refused this bundle. Its import will be refused too, and the station then keeps it in quarantine with this report, so your security
          officer can decide about it (release or purge). Nothing reaches the destination.
        </Alert>
      ) : null}
      <Group justify="space-between">
        <Button variant="default" onClick={onAnother}>
          {flow === 'Import' ? 'Choose another bundle' : 'Verify another bundle'}
        </Button>
        {canContinue ? <Button onClick={onContinue}>Next: destination</Button> : null}
        {canQuarantine ? (
          <Button color="orange" onClick={onQuarantine}>
            Next: keep it in quarantine
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}
