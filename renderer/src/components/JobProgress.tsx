/** Live progress of a running job: phase, bytes, files, rate, time left, and a way to cancel. */
import { Button, Group, Progress as Bar, Stack, Text } from '@mantine/core';
import { formatDuration } from '../../../shared/format.js';
import { displayText } from '../../../shared/display-text.js';
import { countUnit, type Progress } from '../../../shared/progress.js';
import { useFormat } from '../i18n/format.js';
import { useSharedText } from '../i18n/shared-text.js';
import { useT } from '../i18n/useT.js';

export interface JobProgressProps {
  progress: Progress | null;
  onCancel?: (() => void) | undefined;
  cancelling?: boolean;
}

export function JobProgress({ progress, onCancel, cancelling = false }: JobProgressProps) {
  const t = useT();
  const f = useFormat();
  const text = useSharedText();
  const label = progress ? text.phase(progress.phase) : { title: t('progress.starting'), detail: t('progress.startingDetail') };
  const percent = progress && progress.bytesTotal !== null && progress.bytesTotal > 0 ? Math.min(100, (progress.bytesDone / progress.bytesTotal) * 100) : null;
  // A phase that counts events (the audit check) says events, and its rate is events per second, never files or bytes.
  const events = progress !== null && countUnit(progress.phase) === 'event';
  const rate = !progress
    ? ''
    : events
      ? progress.itemsPerSecond != null
        ? t('progress.eventsRate', { rate: f.number(Math.round(progress.itemsPerSecond)) })
        : ''
      : f.rate(progress.rateBytesPerSecond);
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
          {t('progress.now')}{' '}
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
        aria-label={percent === null ? label.title : t('progress.percent', { title: label.title, percent: Math.floor(percent) })}
      />
      <Group gap="lg">
        {progress && !events && (progress.bytesTotal !== null || progress.bytesDone > 0 || progress.filesDone === 0) ? (
          <Text size="sm">
            {progress.bytesTotal !== null
              ? t('progress.bytesOf', { done: f.bytes(progress.bytesDone), total: f.bytes(progress.bytesTotal) })
              : f.bytes(progress.bytesDone)}
          </Text>
        ) : null}
        {progress && events ? (
          <Text size="sm">
            {progress.filesTotal !== null
              ? t('progress.eventsOf', { done: f.number(progress.filesDone), total: progress.filesTotal })
              : t('progress.events', { count: progress.filesDone })}
          </Text>
        ) : progress && progress.filesTotal !== null ? (
          <Text size="sm">{t('progress.filesOf', { done: f.number(progress.filesDone), total: progress.filesTotal })}</Text>
        ) : progress && progress.filesDone > 0 ? (
          // A count with no total yet (the export's scan): "0 B" would say nothing, the files found so far do.
          <Text size="sm">{t('count.files', { count: progress.filesDone })}</Text>
        ) : null}
        {rate ? <Text size="sm">{rate}</Text> : null}
        {/* The phase's own estimate, and core's estimate for the whole job (the passes still to come at the current rate). */}
        {eta && progress?.etaSeconds != null ? (
          <Text size="sm">{progress.etaSeconds < 1 ? t('progress.stepUnderSecond') : t('progress.stepLeft', { eta })}</Text>
        ) : null}
        {jobEta !== null ? (
          <Text size="sm" fw={600} data-job-eta={Math.round(jobEta)}>
            {jobEta < 1 ? t('progress.jobUnderSecond') : t('progress.jobLeft', { eta: formatDuration(jobEta) })}
          </Text>
        ) : null}
      </Group>
      {onCancel ? (
        <Group>
          <Button variant="default" color="red" onClick={onCancel} loading={cancelling} disabled={cancelling}>
            {t('progress.cancel')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('progress.cancelNote')}
          </Text>
        </Group>
      ) : null}
    </Stack>
  );
}
