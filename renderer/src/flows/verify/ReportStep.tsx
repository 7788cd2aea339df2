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
import { useT } from '../../i18n/useT.js';

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
  const t = useT();
  const failed = (check: string) => report.policy.findings.some((f) => f.check === check && f.outcome === 'fail');
  // Import refuses names its rules forbid, with no override: do not lead the operator on.
  const namesRefused = flow === 'Import' && failed('file-names');
  const replay = flow === 'Import' && failed('replay');
  const canContinue = report.ok && onContinue !== undefined && !namesRefused;
  const canQuarantine = flow === 'Import' && !report.ok && onQuarantine !== undefined && isQuarantineCase(report.problems);
  const happens = report.ok
    ? onContinue
      ? namesRefused
        ? t('verify.report.namesRefused')
        : t('verify.report.nextDestination')
      : t('verify.report.checkOnly')
    : t('verify.report.nothingImported');
  return (
    <Stack>
      <StepHeader
        flow={t(flow === 'Import' ? 'flow.import' : 'flow.verify')}
        step={3}
        of={of}
        title={report.ok ? t('verify.report.verified') : t('verify.report.rejected')}
        happens={happens}
      />
      <VerificationReport report={report} context="verify" />
      {replay && canContinue ? (
        <Alert color="yellow" title={t('verify.report.replayTitle')}>
          {t('verify.report.replayText')}
        </Alert>
      ) : null}
      {canQuarantine ? (
        <Alert color="orange" title={t('verify.report.contentTitle')} icon={<span aria-hidden="true">⚠</span>}>
          {t('verify.report.contentText')}
        </Alert>
      ) : null}
      <Group justify="space-between">
        <Button variant="default" onClick={onAnother}>
          {flow === 'Import' ? t('verify.report.chooseAnother') : t('verify.report.verifyAnother')}
        </Button>
        {canContinue ? <Button onClick={onContinue}>{t('verify.report.next')}</Button> : null}
        {canQuarantine ? (
          <Button color="orange" onClick={onQuarantine}>
            {t('verify.report.quarantine')}
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}
