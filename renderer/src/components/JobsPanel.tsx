/**
 * Jobs still running, whichever screen started them: kind, what it works on, how far, and a
 * cancel button. Filled from listJobs once and kept current by job events, so a job started
 * before the operator switched sections (or reloaded the window) stays visible and stoppable.
 */
import { Button, Progress as Bar, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { JobSnapshot } from '../../../shared/ipc.js';
import { cancelCanUndo } from '../../../shared/progress.js';
import { call, useApi } from '../api.js';
import type { MessageId } from '../i18n/en.js';
import { useT } from '../i18n/useT.js';

const KIND_LABEL = {
  export: 'jobs.kind.export',
  verify: 'jobs.kind.verify',
  import: 'jobs.kind.import',
  'verify-medium': 'jobs.kind.verify-medium',
  'quarantine-release': 'jobs.kind.quarantine-release',
  'feed-import': 'jobs.kind.feed-import',
  heartbeat: 'jobs.kind.heartbeat',
  'export-prepare': 'jobs.kind.export-prepare',
  'export-finish': 'jobs.kind.export-finish',
  'audit-verify': 'jobs.kind.audit-verify',
} as const satisfies Record<string, MessageId>;

function percent(job: JobSnapshot): number | null {
  const p = job.progress;
  return p && p.bytesTotal ? Math.min(100, (p.bytesDone / p.bytesTotal) * 100) : null;
}

function baseName(path: string): string {
  return path.split(/[\\/]/u).filter(Boolean).pop() ?? path;
}

export function JobsPanel() {
  const api = useApi();
  const t = useT();
  const [jobs, setJobs] = useState<JobSnapshot[]>([]);
  const [cancelling, setCancelling] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    let active = true;
    const known = new Set<string>();
    const add = (job: JobSnapshot): void => {
      if (!active || job.state !== 'running' || known.has(job.id)) return;
      known.add(job.id);
      setJobs((list) => [...list, job]);
    };
    const unsubscribe = api.onJobEvent((event) => {
      if (!active) return;
      if (event.type === 'finished') {
        setJobs((list) => list.filter((j) => j.id !== event.job.id));
        return;
      }
      // A job this panel has not seen yet (just started elsewhere): learn what it is once.
      if (!known.has(event.jobId)) call(api, 'getJob', { jobId: event.jobId }).then(add, () => undefined);
      setJobs((list) => list.map((j) => (j.id === event.jobId ? { ...j, progress: event.progress } : j)));
    });
    call(api, 'listJobs', {}).then(
      ({ jobs: all }) => all.forEach(add),
      () => undefined,
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, [api]);

  if (jobs.length === 0) return null;
  return (
    <Stack gap="xs" aria-label={t('jobs.region')} role="region">
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        {t('jobs.running')}
      </Text>
      {jobs.map((job) => {
        const value = percent(job);
        const name = displayText(baseName(job.subject));
        const kind = t(KIND_LABEL[job.kind]);
        return (
          <Stack key={job.id} gap={4}>
            <Text size="sm" truncate="end" title={displayText(job.subject)}>
              {t('jobs.item', { kind, name })}
            </Text>
            <Bar
              value={value ?? 100}
              striped={value === null}
              animated={value === null}
              size="sm"
              aria-label={value === null ? t('jobs.bar', { kind, name }) : t('jobs.barPercent', { kind, name, percent: Math.floor(value) })}
            />
            {/* Past the commit point (an export's bundle published, an import's files in place): nothing is left to cancel. */}
            {!cancelCanUndo(job.progress?.phase) ? null : (
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                disabled={cancelling.has(job.id)}
                aria-label={t('jobs.cancelLabel', { kind: kind.toLowerCase(), name })}
                onClick={() => {
                  setCancelling((s) => new Set(s).add(job.id));
                  void call(api, 'cancelJob', { jobId: job.id });
                }}
              >
                {cancelling.has(job.id) ? t('jobs.cancelling') : t('jobs.cancel')}
              </Button>
            )}
          </Stack>
        );
      })}
    </Stack>
  );
}
