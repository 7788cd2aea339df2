/**
 * `airlock feed import` in the app (issue #16.6): a signature-database feed bundle chosen from those
 * on a detected medium (the list the Verify and Import flows show) or in main's own dialog, installed by the same station function as a job with progress and Cancel, then the
 * report: the database version and age before and after, the containers installed and replaced,
 * whether clamd was told to reload (a warning when it could not be, as in the CLI), and for a
 * rejected bundle its problems with "nothing was installed". Installing an older database
 * (`--allow-downgrade`) is a choice the operator makes and then confirms, never a default. Once a
 * job ends the Settings view is told (`onFinished`), so its scanner status shows the new database.
 */
import { Alert, Button, Checkbox, Group, List, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { DatabaseStateView, FeedImportReport } from '../../../../shared/ipc.js';
import { call, useApi } from '../../api.js';
import { MediumBundlePicker } from '../../components/MediumBundlePicker.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { JobProgress } from '../../components/JobProgress.js';
import { ProblemList } from '../../components/ProblemList.js';
import { useJobRun } from '../../hooks/useJobRun.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';

function DatabaseLine({ label, state }: { label: string; state: DatabaseStateView | null }) {
  const t = useT();
  const f = useFormat();
  const date = state?.date === null || state?.date === undefined ? t('feed.database.dateUnknown') : f.utcTime(state.date);
  const text =
    state === null || state.version === null
      ? t('feed.database.unknown')
      : state.ageDays === null
        ? t('feed.database.stateNoAge', { version: state.version, date })
        : t('feed.database.state', { version: state.version, date, age: state.ageDays });
  return (
    <Text size="sm">
      <Text span fw={600}>
        {label}
      </Text>{' '}
      {text}
    </Text>
  );
}

function FeedReport({ report }: { report: FeedImportReport }) {
  const t = useT();
  const f = useFormat();
  return (
    <Stack gap="sm" data-testid="feed-report" data-ok={report.ok}>
      {report.ok ? (
        <Alert color="green" role="status" title={t('feed.result.installed', { count: report.installed.length })}>
          <List size="sm" aria-label={t('feed.result.files')}>
            {report.installed.map((file) => (
              <List.Item key={file.name}>
                {t('feed.result.file', { name: displayText(file.name), version: file.version, signatures: file.signatures, built: f.utcTime(file.builtAt) })}
              </List.Item>
            ))}
          </List>
          {report.superseded.length > 0 ? <Text size="sm">{t('feed.result.superseded', { names: displayText(report.superseded.join(', ')) })}</Text> : null}
        </Alert>
      ) : (
        <Alert color="red" role="alert" title={t('feed.result.rejected')}>
          <Text size="sm">{t('feed.result.unchanged')}</Text>
        </Alert>
      )}
      {report.ok ? null : <ProblemList problems={report.problems} />}
      <DatabaseLine label={t('feed.database.before')} state={report.before} />
      <DatabaseLine label={t('feed.database.after')} state={report.after} />
      {report.ok && report.reloaded !== null ? <Text size="sm">{report.reloaded ? t('feed.reload.done') : t('feed.reload.failed')}</Text> : null}
      {report.warnings.length > 0 ? (
        <Alert color="yellow" title={t('feed.warnings')} data-testid="feed-warnings">
          <List size="sm">
            {report.warnings.map((warning, index) => (
              // The engine's words, in English like the CLI's warnings.
              <List.Item key={index} lang="en">
                {displayText(warning)}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {report.auditEvent !== null ? (
        <Text size="sm" c="dimmed">
          {t('feed.auditEvent', { seq: report.auditEvent })}
        </Text>
      ) : null}
    </Stack>
  );
}

export interface FeedImportPanelProps {
  /** Settings is on screen: only then are the media listed (every two seconds). */
  active?: boolean | undefined;
  /** A feed import ended (installed, rejected or failed): what the scanner reports may have changed. */
  onFinished?: (() => void) | undefined;
  /** How often the media list is refreshed (tests shorten it). */
  pollMs?: number | undefined;
}

export function FeedImportPanel({ active = true, onFinished, pollMs }: FeedImportPanelProps) {
  const api = useApi();
  const t = useT();
  const run = useJobRun();
  const [bundlePath, setBundlePath] = useState<string | null>(null);
  const [allowDowngrade, setAllowDowngrade] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const finished = run.job.finished;
  const report = finished?.kind === 'feed-import' ? finished.result : null;
  // Once per job: the moment it ends.
  const endedJob = finished !== null ? run.jobId : null;
  useEffect(() => {
    if (endedJob !== null) onFinished?.();
  }, [endedJob, onFinished]);

  const begin = async () => {
    if (bundlePath === null) return;
    setConfirming(false);
    await run.start(() => call(api, 'startFeedImport', { bundlePath, ...(allowDowngrade ? { allowDowngrade: true } : {}) }));
  };
  const again = () => {
    run.reset();
    setBundlePath(null);
    setAllowDowngrade(false);
    setConfirming(false);
  };

  return (
    <Stack gap="sm" role="region" aria-labelledby="feed-import-title" data-testid="feed-import" maw={720}>
      <Title order={3} id="feed-import-title">
        {t('feed.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('feed.intro')}
      </Text>
      {run.jobId === null ? (
        <>
          {active ? <MediumBundlePicker bundlePath={bundlePath} onChange={setBundlePath} pollMs={pollMs} /> : null}
          <Checkbox
            label={t('feed.downgrade.label')}
            description={t('feed.downgrade.description')}
            checked={allowDowngrade}
            onChange={(event) => {
              setAllowDowngrade(event.currentTarget.checked);
              setConfirming(false);
            }}
          />
          {confirming ? (
            <Alert color="orange" role="alert" title={t('feed.downgrade.confirmTitle')}>
              <Stack gap="xs">
                <Text size="sm">{t('feed.downgrade.confirmText')}</Text>
                <Group>
                  <Button color="orange" onClick={() => void begin()}>
                    {t('feed.downgrade.confirm')}
                  </Button>
                  <Button variant="default" onClick={() => setConfirming(false)}>
                    {t('feed.downgrade.back')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          ) : (
            <Group>
              <Button disabled={bundlePath === null} onClick={() => (allowDowngrade ? setConfirming(true) : void begin())}>
                {t('feed.start')}
              </Button>
            </Group>
          )}
          {run.error ? <ErrorAlert error={run.error} /> : null}
        </>
      ) : (
        <>
          {finished === null ? <JobProgress progress={run.job.progress} onCancel={run.cancel} cancelling={run.cancelling} /> : null}
          {report ? <FeedReport report={report} /> : null}
          {finished?.error ? <ErrorAlert error={finished.error} /> : null}
          {finished !== null ? (
            <Group>
              <Button variant="default" onClick={again}>
                {t('feed.again')}
              </Button>
            </Group>
          ) : null}
        </>
      )}
    </Stack>
  );
}
