/** Live progress of a running job: phase, bytes, files, rate, time left, and a way to cancel. */
import { Button, Group, Progress as Bar, Stack, Text } from '@mantine/core';
import { formatBytes, formatDuration, formatRate } from '../../../shared/format.js';
import { displayText } from '../../../shared/display-text.js';
import { PHASE_LABELS } from '../../../shared/phase-labels.js';
import type { Progress } from '../../../shared/progress.js';
import { plural } from './plural.js';

export interface JobProgressProps {
  progress: Progress | null;
  onCancel?: (() => void) | undefined;
  cancelling?: boolean;
}

export function JobProgress({ progress, onCancel, cancelling = false }: JobProgressProps) {
  const label = progress ? PHASE_LABELS[progress.phase] : { title: 'Starting', detail: 'Handing the job to a worker.' };
  const percent = progress && progress.bytesTotal !== null && progress.bytesTotal > 0 ? Math.min(100, (progress.bytesDone / progress.bytesTotal) * 100) : null;
  const rate = progress ? formatRate(progress.rateBytesPerSecond) : '';
  const eta = progress ? formatDuration(progress.etaSeconds) : '';
  const jobEta = progress?.jobEtaSeconds ?? null;
  return (
    <Stack gap="xs">
      {/* Only the phase is announced (role status): the bytes and rate change many times a second. */}
      <Text fw={600} data-phase={progress?.phase ?? 'starting'} role="status">
        {label.title}
      </Text>
      <Text size="sm" c="dimmed">
        {label.detail}
      </Text>
      {progress?.item ? (
        <Text size="sm" data-progress-item={progress.item}>
          Now:{' '}
          <Text span ff="monospace" translate="no">
            {displayText(progress.item)}
          </Text>
        </Text>
      ) : null}
      <Bar
        value={percent ?? 100}
        animated={percent === null}
        striped={percent === null}
        size="lg"
        aria-label={`${label.title}${percent === null ? '' : `, ${Math.floor(percent)} percent`}`}
      />
      <Group gap="lg">
        {progress ? (
          <Text size="sm">
            {formatBytes(progress.bytesDone)}
            {progress.bytesTotal !== null ? ` of ${formatBytes(progress.bytesTotal)}` : ''}
          </Text>
        ) : null}
        {progress && progress.filesTotal !== null ? (
          <Text size="sm">
            {progress.filesDone} of {plural(progress.filesTotal, 'file')}
          </Text>
        ) : null}
        {rate ? <Text size="sm">{rate}</Text> : null}
        {/* The phase's own estimate, and core's estimate for the whole job (the passes still to come at the current rate). */}
        {eta && progress?.etaSeconds != null ? (
          <Text size="sm">{progress.etaSeconds < 1 ? 'under a second left in this step' : `about ${eta} left in this step`}</Text>
        ) : null}
        {jobEta !== null ? (
          <Text size="sm" fw={600} data-job-eta={Math.round(jobEta)}>
            {jobEta < 1 ? 'Whole job: under a second left' : `Whole job: about ${formatDuration(jobEta)} left`}
          </Text>
        ) : null}
      </Group>
      {onCancel ? (
        <Group>
          <Button variant="default" color="red" onClick={onCancel} loading={cancelling} disabled={cancelling}>
            Cancel
          </Button>
          <Text size="xs" c="dimmed">
            Cancelling leaves nothing half-written.
          </Text>
        </Group>
      ) : null}
    </Stack>
  );
}
