/** Import step 6: where the files are now, or why nothing was imported. */
import { Alert, Button, Code, Group, List, Stack, Text, Title } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { ImportReport } from '../../../../shared/ipc.js';
import { StepHeader } from '../../components/StepHeader.js';
import { VerificationReport } from '../../components/VerificationReport.js';
import { InspectionReport } from '../../components/inspection/InspectionReport.js';
import { PushResultsTable, pushTally } from '../../components/PushResultsTable.js';

export interface ImportResultStepProps {
  result: ImportReport;
  onDone: () => void;
  /** Offered when the only reason was REPLAY: import again on purpose (the override is recorded). */
  onImportAgain?: () => void;
  /** Offered when content inspection refused the bundle and the station kept it: go to the Quarantine view. */
  onOpenQuarantine?: (() => void) | undefined;
}

export function ImportResultStep({ result, onDone, onImportAgain, onOpenQuarantine }: ImportResultStepProps) {
  const pushes = result.pushes ?? [];
  const failedPushes = pushes.filter((p) => p.outcome === 'failed').length;
  const replayOnly = !result.ok && result.problems.length > 0 && result.problems.every((p) => p.code === 'REPLAY');
  return (
    <Stack>
      <StepHeader
        flow="Import"
        step={6}
        of={6}
        title={result.ok ? 'Imported' : 'Nothing was imported'}
        happens={
          result.ok ? 'Nothing more. The import is recorded on this station.' : 'The destination is unchanged. Follow the next step given for each problem.'
        }
        proven={
          result.ok
            ? ['The signature and every byte were checked again while copying.', 'The files were flushed to disk before they were moved into place.']
            : []
        }
      />
      {result.ok && result.destination ? (
        <Alert color="green" title="Files imported to" role="status">
          <Code>{displayText(result.destination)}</Code>
          {result.receipt ? (
            <Text size="sm" mt="xs">
              Transfer receipt: <Code>{displayText(result.receipt.html)}</Code>
            </Text>
          ) : null}
        </Alert>
      ) : null}
      {!result.ok && result.quarantine ? (
        <Alert color="orange" title="Kept in quarantine" role="status" icon={<span aria-hidden="true">⚠</span>} data-quarantine-id={result.quarantine.id}>
          <Text size="sm">
            Content inspection refused this bundle, so the station keeps it in quarantine as <Code>{displayText(result.quarantine.id)}</Code>, with this report.
            Nothing of it reached the destination. Only an operator&apos;s recorded decision can release it.
          </Text>
          {onOpenQuarantine ? (
            <Button mt="xs" size="xs" variant="default" onClick={onOpenQuarantine}>
              Open the quarantine
            </Button>
          ) : null}
        </Alert>
      ) : null}
      {result.ok && result.inspection ? <InspectionReport inspection={result.inspection} problems={result.problems} /> : null}
      {pushes.length > 0 ? (
        <Stack gap="xs">
          <Title order={3}>Registry push</Title>
          {failedPushes > 0 ? (
            <Alert color="red" title={`${failedPushes === 1 ? 'One image was' : `${failedPushes} images were`} not pushed`} role="alert">
              <Text size="sm">
                {pushTally(pushes)}. The other images were pushed regardless. Fix what the registry said for each failed image, then import the bundle again
                with the push: images already there are skipped.
              </Text>
            </Alert>
          ) : (
            <Text size="sm" role="status">
              {pushTally(pushes)}: the registry reported each image's signed digest.
            </Text>
          )}
          <PushResultsTable pushes={pushes} />
        </Stack>
      ) : null}
      {result.warnings.length > 0 ? (
        <Alert color="yellow" title="Warnings">
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
            Import again anyway (recorded)
          </Button>
        ) : (
          <span />
        )}
        <Button onClick={onDone}>Import another bundle</Button>
      </Group>
    </Stack>
  );
}
