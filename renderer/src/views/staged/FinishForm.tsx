/**
 * The last step of a two-person export (the CLI's `export --finish STAGED --out DIR`): the staged
 * bundle written to a folder with every signature, by the same write as an export (first to a
 * temp name, fsynced, then published), as a job with progress and Cancel. The passphrase, if
 * given, unlocks the station key to sign the receipt and an audit checkpoint (left out: both
 * unsigned, as the CLI does without --passphrase-file). Not approved yet: said plainly, as a
 * receiving station that requires two signers will refuse it; the CLI does not refuse it either.
 */
import { Alert, Button, Fieldset, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { StagedEntryView } from '../../../../shared/ipc.js';
import { call, useApi } from '../../api.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { JobProgress } from '../../components/JobProgress.js';
import { useJobRun } from '../../hooks/useJobRun.js';
import { useT } from '../../i18n/useT.js';
import { ExportResultStep } from '../../flows/export/ExportResultStep.js';
import { isApproved } from './approved.js';

export function FinishForm({ entry, onClose }: { entry: StagedEntryView; onClose: () => void }) {
  const api = useApi();
  const t = useT();
  const run = useJobRun();
  const [outDir, setOutDir] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const finished = run.job.finished;

  if (finished?.kind === 'export-finish' && finished.state === 'succeeded' && finished.result) {
    return <ExportResultStep result={finished.result} onDone={onClose} />;
  }
  if (run.jobId !== null) {
    return (
      <Stack gap="sm" data-testid="finish-job">
        {finished === null ? <JobProgress progress={run.job.progress} onCancel={run.cancel} cancelling={run.cancelling} /> : null}
        {finished?.error ? (
          <ErrorAlert error={finished.error} title={finished.state === 'cancelled' ? t('staged.finish.cancelled') : t('staged.finish.failed')} />
        ) : null}
        {finished ? (
          <Group>
            <Button variant="default" onClick={run.reset}>
              {t('staged.finish.again')}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('staged.backToList')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    );
  }

  const start = () => {
    if (outDir === null) return;
    const value = passphrase;
    setPassphrase('');
    void run.start(() => call(api, 'startFinishExport', { name: entry.name, outDir, passphrase: value === '' ? undefined : value }));
  };

  return (
    <Fieldset legend={t('staged.finish.legend', { name: displayText(entry.name) })} data-testid="finish-form">
      <Stack gap="sm">
        <Text size="sm">{t('staged.finish.intro')}</Text>
        {!isApproved(entry) ? (
          <Alert color="yellow" title={t('staged.finish.notApprovedTitle')} role="alert">
            <Text size="sm">{t('staged.finish.notApprovedText')}</Text>
          </Alert>
        ) : null}
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('staged.finish.destination')}
          </Text>
          <DestinationPicker purpose="export-destination" value={outDir} onChange={setOutDir} />
        </Stack>
        <TextInput
          type="password"
          label={t('staged.finish.passphrase')}
          description={t('staged.finish.passphraseHelp')}
          autoComplete="off"
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          maw={480}
        />
        {run.error ? <ErrorAlert error={run.error} title={t('staged.finish.failed')} /> : null}
        <Group>
          <Button onClick={start} disabled={outDir === null}>
            {t('staged.finish.submit')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('staged.cancelAction')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
