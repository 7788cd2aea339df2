/**
 * One watcher of this station (`airlock watch INBOX --dest DIR`): its state in an icon and words
 * and what that means, where it takes bundles from and puts them, whether its status is fresh,
 * the bundle it works on now, the queue, the counts since it started, the channel findings it
 * reported and its recent outcomes.
 */
import { Alert, Code, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { WatchStatus } from '../../../../shared/watch.js';
import { FindingsTable } from './FindingsTable.js';
import type { MessageId } from '../../i18n/en.js';
import { Msg, useT, type Translate } from '../../i18n/useT.js';
import { secondsBetween, STALE_AFTER_SECONDS, useInboxText } from './inbox-text.js';
import { MarkedText } from './MarkedText.js';
import { OutcomesTable } from './OutcomesTable.js';

const COUNT_COLUMNS = ['accepted', 'quarantined', 'rejected', 'heartbeats', 'failed'] as const;
const COUNT_LABELS: Record<(typeof COUNT_COLUMNS)[number], MessageId> = {
  accepted: 'inbox.watcher.count.accepted',
  quarantined: 'inbox.watcher.count.quarantined',
  rejected: 'inbox.watcher.count.rejected',
  heartbeats: 'inbox.watcher.count.heartbeats',
  failed: 'inbox.watcher.count.failed',
};

function CountsTable({ status, label }: { status: WatchStatus; label: string }) {
  const t = useT();
  const columns = COUNT_COLUMNS.map((key) => [key, t(COUNT_LABELS[key]), status.counts[key]] as const);
  return (
    <Table withTableBorder aria-label={label} w="auto">
      <Table.Thead>
        <Table.Tr>
          {columns.map(([key, name]) => (
            <Table.Th key={key}>{name}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        <Table.Tr>
          {columns.map(([key, , count]) => (
            <Table.Td key={key} data-count={key}>
              {count}
            </Table.Td>
          ))}
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

function queueText(t: Translate, status: WatchStatus): string {
  const { queued, arriving } = status.counts;
  if (queued === 0 && arriving === 0) return t('inbox.watcher.queueEmpty');
  return t('inbox.watcher.queueText', { queued, arriving });
}

export function WatcherCard({ status, checkedAt }: { status: WatchStatus; checkedAt: string }) {
  const t = useT();
  const { when, span, watcherState } = useInboxText();
  const state = watcherState(status.state);
  const inbox = displayText(status.inbox);
  const silent = secondsBetween(status.updatedAt, checkedAt);
  const stale = status.state === 'running' && silent !== null && silent > STALE_AFTER_SECONDS;
  return (
    <Paper withBorder p="md" component="article" aria-label={t('inbox.watcher.label', { inbox })} data-watcher-state={status.state}>
      <Stack gap="sm">
        <Title order={4} style={{ wordBreak: 'break-all' }}>
          <Msg id="inbox.watcher.heading" values={{ inbox, code: (chunks) => <Code>{chunks}</Code> }} />
        </Title>
        <Text size="sm" data-testid="watcher-state">
          <MarkedText mark={state} /> {state.meaning}
        </Text>
        {stale ? (
          <Alert color="orange" role="alert" title={t('inbox.watcher.quiet')} icon={<span aria-hidden="true">⚠</span>}>
            {t('inbox.watcher.quietText', { span: span(silent), pid: status.pid })}
          </Alert>
        ) : null}
        <Table withTableBorder variant="vertical" aria-label={t('inbox.watcher.detailsLabel', { inbox })}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={200}>{t('inbox.watcher.importsInto')}</Table.Th>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <Code>{displayText(status.dest)}</Code>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('inbox.watcher.process')}</Table.Th>
              <Table.Td>{t('inbox.watcher.processValue', { pid: status.pid, time: when(status.startedAt) })}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('inbox.watcher.statusWritten')}</Table.Th>
              <Table.Td>
                {when(status.updatedAt)}
                {silent !== null ? t('inbox.watcher.beforeCheck', { span: span(silent) }) : ''}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('inbox.watcher.workingOn')}</Table.Th>
              <Table.Td style={{ wordBreak: 'break-all' }} data-testid="watcher-current">
                {status.current ? (
                  <Msg
                    id="inbox.watcher.workingOnValue"
                    values={{
                      name: displayText(status.current.name),
                      // The phase is the watcher's own English word, as it wrote it.
                      phase: <span lang="en">{displayText(status.current.phase)}</span>,
                      time: when(status.current.since),
                      code: (chunks) => <Code>{chunks}</Code>,
                    }}
                  />
                ) : (
                  t('inbox.watcher.nothingNow')
                )}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('inbox.watcher.queue')}</Table.Th>
              <Table.Td data-testid="watcher-queue">{queueText(t, status)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Title order={5}>{t('inbox.watcher.sinceStart')}</Title>
        <CountsTable status={status} label={t('inbox.watcher.countsLabel', { inbox })} />
        <Title order={5}>{t('inbox.watcher.findings')}</Title>
        {status.gaps.length === 0 ? (
          <Text size="sm">{t('inbox.watcher.noFindings')}</Text>
        ) : (
          <FindingsTable findings={status.gaps} label={t('inbox.watcher.findingsLabel', { inbox })} />
        )}
        <Title order={5}>{t('inbox.watcher.recent')}</Title>
        {status.recent.length === 0 ? (
          <Text size="sm">{t('inbox.watcher.noRecent')}</Text>
        ) : (
          <OutcomesTable records={status.recent} label={t('inbox.watcher.outcomesLabel', { inbox })} inbox={status.inbox} />
        )}
      </Stack>
    </Paper>
  );
}
