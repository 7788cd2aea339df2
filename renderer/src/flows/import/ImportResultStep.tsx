/** Import step 6: where the files are now, or why nothing was imported. */
import { Alert, Button, Code, Group, List, Stack, Text, Title } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { ImportReport } from '../../../../shared/ipc.js';
import { StepHeader } from '../../components/StepHeader.js';
import { VerificationReport } from '../../components/VerificationReport.js';
import { InspectionReport } from '../../components/inspection/InspectionReport.js';
import { PushResultsTable, usePushTally } from '../../components/PushResultsTable.js';
import { Msg, useT } from '../../i18n/useT.js';

export interface ImportResultStepProps {
  result: ImportReport;
  onDone: () => void;
  /** Offered when the only reason was REPLAY: import again on purpose (the override is recorded). */
  onImportAgain?: () => void;
  /** Offered when content inspection refused the bundle and the station kept it: go to the Quarantine view. */
  onOpenQuarantine?: (() => void) | undefined;
}

export function ImportResultStep({ result, onDone, onImportAgain, onOpenQuarantine }: ImportResultStepProps) {
  const t = useT();
  const pushTally = usePushTally();
  const pushes = result.pushes ?? [];
  const failedPushes = pushes.filter((p) => p.outcome === 'failed').length;
  const replayOnly = !result.ok && result.problems.length > 0 && result.problems.every((p) => p.code === 'REPLAY');
  return (
    <Stack>
      <StepHeader
        flow={t('flow.import')}
        step={6}
        of={6}
        title={result.ok ? t('import.result.imported') : t('import.result.nothing')}
        happens={result.ok ? t('import.result.happensOk') : t('import.result.happensBad')}
        proven={result.ok ? [t('import.result.checkedAgain'), t('import.result.flushed')] : []}
      />
      {result.ok && result.destination ? (
        <Alert color="green" title={t('import.result.filesTo')} role="status">
          <Code>{displayText(result.destination)}</Code>
          {result.receipt ? (
            <Text size="sm" mt="xs">
              {t('import.result.receipt')} <Code>{displayText(result.receipt.html)}</Code>
            </Text>
          ) : null}
          {result.receipt?.pdf ? (
            <Text size="sm" mt="xs">
              {t('import.result.receiptPdf')} <Code>{displayText(result.receipt.pdf)}</Code>
            </Text>
          ) : null}
          {result.receipt ? (
            // Signed or not in words and a sign, never colour alone: whether the .asc files stand beside the receipt.
            <Text size="sm" mt="xs" data-receipt-signed={result.receipt.signature !== null}>
              <span aria-hidden="true">{result.receipt.signature !== null ? '✓ ' : '– '}</span>
              {t(result.receipt.signature !== null ? 'import.result.receiptSigned' : 'import.result.receiptUnsigned')}
            </Text>
          ) : null}
        </Alert>
      ) : null}
      {!result.ok && result.quarantine ? (
        <Alert
          color="orange"
          title={t('import.result.quarantined')}
          role="status"
          icon={<span aria-hidden="true">⚠</span>}
          data-quarantine-id={result.quarantine.id}
        >
          <Text size="sm">
            <Msg id="import.result.quarantinedText" values={{ id: displayText(result.quarantine.id), code: (chunks) => <Code>{chunks}</Code> }} />
          </Text>
          {onOpenQuarantine ? (
            <Button mt="xs" size="xs" variant="default" onClick={onOpenQuarantine}>
              {t('import.result.openQuarantine')}
            </Button>
          ) : null}
        </Alert>
      ) : null}
      {result.ok && result.inspection ? <InspectionReport inspection={result.inspection} problems={result.problems} /> : null}
      {pushes.length > 0 ? (
        <Stack gap="xs">
          <Title order={3}>{t('import.result.push')}</Title>
          {failedPushes > 0 ? (
            <Alert color="red" title={t('import.result.notPushed', { count: failedPushes })} role="alert">
              <Text size="sm">{t('import.result.pushFailed', { tally: pushTally(pushes) })}</Text>
            </Alert>
          ) : (
            <Text size="sm" role="status">
              {t('import.result.pushOk', { tally: pushTally(pushes) })}
            </Text>
          )}
          <PushResultsTable pushes={pushes} />
        </Stack>
      ) : null}
      {result.warnings.length > 0 ? (
        <Alert color="yellow" title={t('import.result.warnings')}>
          <List size="sm">
            {result.warnings.map((w, i) => (
              <List.Item key={i}>{displayText(w)}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {!result.ok ? <VerificationReport report={result} context="import" /> : null}
      <Group justify="space-between">
        {replayOnly && onImportAgain ? (
          <Button variant="default" color="orange" onClick={onImportAgain}>
            {t('import.result.again')}
          </Button>
        ) : (
          <span />
        )}
        <Button onClick={onDone}>{t('import.result.another')}</Button>
      </Group>
    </Stack>
  );
}
