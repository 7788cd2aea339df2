/**
 * The end of a prepared export (the two-person rule's first step, the CLI's `export --prepare`):
 * what was staged and signed by this operator, and what happens next — a second person approves it
 * in Staged exports, then it is finished to a folder. Nothing has been written to any output yet.
 */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { StagedSummaryView } from '../../../../shared/ipc.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useT } from '../../i18n/useT.js';
import { StagedSummaryPanel } from '../../views/staged/ApproveForm.js';

export function PreparedResult({ staged, onDone, onOpenStaged }: { staged: StagedSummaryView; onDone: () => void; onOpenStaged: () => void }) {
  const t = useT();
  return (
    <Stack>
      <StepHeader flow={t('flow.export')} step={6} of={6} title={t('staged.prepared.title')} happens={t('staged.prepared.happens')} />
      <Alert color="green" role="status" title={t('staged.prepared.staged')}>
        <Text size="sm">{t('staged.prepared.next')}</Text>
      </Alert>
      <StagedSummaryPanel summary={staged} />
      <Group justify="space-between">
        <Button variant="default" onClick={onDone}>
          {t('export.startOver')}
        </Button>
        <Button onClick={onOpenStaged}>{t('staged.prepared.open')}</Button>
      </Group>
    </Stack>
  );
}
