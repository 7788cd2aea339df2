/**
 * Releasing a quarantined bundle: the explicit, recorded decision of an operator (issue #16.5).
 * A destination folder, a reason (required: it goes into the audit event), the bundle's name
 * typed as confirmation, and where the policy requires two persons, the second operator's name
 * and reason. The release imports the bundle, so it runs as a job with progress and cancel like
 * an import; main checks the typed name again before the job starts.
 */
import { Alert, Button, Code, Fieldset, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { QuarantineEntry } from '../../../../shared/inspection.js';
import { confirmsBundleName } from '../../../../shared/quarantine-confirm.js';
import { call, useApi } from '../../api.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { JobProgress } from '../../components/JobProgress.js';
import { useJobRun } from '../../hooks/useJobRun.js';

export interface ReleaseFormProps {
  entry: QuarantineEntry;
  /** 2: the station's policy requires two persons to release. */
  releaseApprovals: 1 | 2;
  /** Called once a release job has ended, so the list and details reload. */
  onFinished: () => void;
}

export function ReleaseForm({ entry, releaseApprovals, onFinished }: ReleaseFormProps) {
  const api = useApi();
  const run = useJobRun();
  const [destDir, setDestDir] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState('');
  const [second, setSecond] = useState({ operator: '', reason: '' });
  const twoPersons = releaseApprovals === 2;
  const shownName = displayText(entry.bundleName);
  const missing = [
    destDir === null ? 'a destination folder' : null,
    reason.trim() === '' ? 'a reason' : null,
    !confirmsBundleName(confirm, entry.bundleName) ? 'the bundle name typed exactly' : null,
    twoPersons && second.operator.trim() === '' ? "the second operator's name" : null,
    twoPersons && second.reason.trim() === '' ? "the second operator's reason" : null,
  ].filter((m): m is string => m !== null);

  const finished = run.job.finished;
  // Reload the list and details once per finished job (the parent's callback may change identity).
  const notify = useRef(onFinished);
  notify.current = onFinished;
  const finishedId = finished?.id ?? null;
  useEffect(() => {
    if (finishedId !== null) notify.current();
  }, [finishedId]);
  if (run.jobId !== null) {
    const result = finished?.kind === 'quarantine-release' ? finished.result : null;
    return (
      <Stack gap="sm" data-testid="release-job">
        {finished === null ? <JobProgress progress={run.job.progress} cancelling={run.cancelling} onCancel={run.cancel} /> : null}
        {finished?.error ? <ErrorAlert error={finished.error} title="Not released" /> : null}
        {result ? (
          <Alert color={result.released ? 'green' : 'yellow'} title={result.released ? 'Released' : 'Approval recorded'} role="status">
            {result.released && result.destination ? (
              <Text size="sm">
                Imported to <Code>{displayText(result.destination)}</Code>, verified again byte for byte.
              </Text>
            ) : (
              <Text size="sm">The bundle stays in quarantine until a second operator approves the release.</Text>
            )}
            {result.auditEvent !== null ? <Text size="sm">Recorded in the audit log as event #{result.auditEvent}.</Text> : null}
          </Alert>
        ) : null}
        {finished ? (
          <Group>
            <Button variant="default" onClick={run.reset}>
              Back
            </Button>
          </Group>
        ) : null}
      </Stack>
    );
  }

  const release = () => {
    if (destDir === null || missing.length > 0) return;
    void run.start(() =>
      call(api, 'startQuarantineRelease', {
        id: entry.id,
        destDir,
        reason: reason.trim(),
        confirmName: confirm.trim(),
        secondApprover: twoPersons ? { operator: second.operator.trim(), reason: second.reason.trim() } : undefined,
      }),
    );
  };
  return (
    <Fieldset legend="Release from quarantine" data-testid="release-form">
      <Stack gap="sm">
        <Text size="sm">
          Content inspection refused this bundle. Releasing it imports it anyway, under your name and with your reason, recorded in the audit log. Release only
          what your security officer has decided to let through.
        </Text>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Destination folder
          </Text>
          <DestinationPicker purpose="import-destination" value={destDir} onChange={setDestDir} />
        </Stack>
        <Textarea
          label="Reason for the release"
          description="Recorded in the audit log with your name: who decided, and why."
          required
          rows={2}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        {twoPersons ? (
          <Fieldset legend="Second operator (two-person rule)">
            <Text size="sm" mb="xs">
              This station&apos;s policy requires two persons to release: a second operator, present now, approves under their own name.
            </Text>
            <TextInput
              label="Second operator's name"
              required
              maxLength={200}
              value={second.operator}
              onChange={(e) => setSecond({ ...second, operator: e.currentTarget.value })}
            />
            <Textarea
              label="Second operator's reason"
              required
              rows={2}
              maxLength={1000}
              value={second.reason}
              onChange={(e) => setSecond({ ...second, reason: e.currentTarget.value })}
            />
          </Fieldset>
        ) : null}
        <TextInput
          label="Type the bundle's name to confirm"
          description={
            <>
              Type <Code>{shownName}</Code> exactly as shown.
            </>
          }
          required
          autoComplete="off"
          spellCheck={false}
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={confirm.trim() !== '' && !confirmsBundleName(confirm, entry.bundleName) ? 'This is not the bundle’s name.' : null}
        />
        {run.error ? <ErrorAlert error={run.error} title="Not released" /> : null}
        <Group>
          <Button color="orange" onClick={release} disabled={missing.length > 0}>
            Release and import
          </Button>
          <Text size="sm" aria-live="polite">
            {missing.length > 0 ? `Still needed: ${missing.join(', ')}.` : 'Ready: the release will be recorded under your name.'}
          </Text>
        </Group>
      </Stack>
    </Fieldset>
  );
}
