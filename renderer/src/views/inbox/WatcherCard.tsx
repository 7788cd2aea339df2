/**
 * One watcher of this station (`airlock watch INBOX --dest DIR`): its state in an icon and words
 * and what that means, where it takes bundles from and puts them, whether its status is fresh,
 * the bundle it works on now, the queue, the counts since it started, the channel findings it
 * reported and its recent outcomes.
 */
import { Alert, Code, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import { plural } from '../../../../shared/format.js';
import type { WatchStatus } from '../../../../shared/watch.js';
import { FindingsTable } from './FindingsTable.js';
import { secondsBetween, span, STALE_AFTER_SECONDS, WATCHER_STATE_TEXT, when } from './inbox-text.js';
import { MarkedText } from './MarkedText.js';
import { OutcomesTable } from './OutcomesTable.js';

function CountsTable({ status, label }: { status: WatchStatus; label: string }) {
  const c = status.counts;
  const columns: Array<[string, number]> = [
    ['Accepted', c.accepted],
    ['Quarantined', c.quarantined],
    ['Rejected', c.rejected],
    ['Heartbeats', c.heartbeats],
    ['Failed', c.failed],
  ];
  return (
    <Table withTableBorder aria-label={label} w="auto">
      <Table.Thead>
        <Table.Tr>
          {columns.map(([name]) => (
            <Table.Th key={name}>{name}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        <Table.Tr>
          {columns.map(([name, count]) => (
            <Table.Td key={name} data-count={name.toLowerCase()}>
              {count}
            </Table.Td>
          ))}
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

function queueText(status: WatchStatus): string {
  const { queued, arriving } = status.counts;
  if (queued === 0 && arriving === 0) return 'The inbox is empty: nothing waits, nothing is arriving.';
  const parts = [
    queued > 0 ? `${plural(queued, 'bundle')} complete and waiting` : 'nothing complete waiting',
    arriving > 0 ? `${plural(arriving, 'file')} still arriving` : 'nothing arriving',
  ];
  return `${parts.join('; ')}.`;
}

export function WatcherCard({ status, checkedAt }: { status: WatchStatus; checkedAt: string }) {
  const state = WATCHER_STATE_TEXT[status.state];
  const inbox = displayText(status.inbox);
  const silent = secondsBetween(status.updatedAt, checkedAt);
  const stale = status.state === 'running' && silent !== null && silent > STALE_AFTER_SECONDS;
  return (
    <Paper withBorder p="md" component="article" aria-label={`Watcher of ${inbox}`} data-watcher-state={status.state}>
      <Stack gap="sm">
        <Title order={4} style={{ wordBreak: 'break-all' }}>
          Inbox <Code>{inbox}</Code>
        </Title>
        <Text size="sm" data-testid="watcher-state">
          <MarkedText mark={state} /> {state.meaning}
        </Text>
        {stale ? (
          <Alert color="orange" role="alert" title="This watcher has gone quiet" icon={<span aria-hidden="true">⚠</span>}>
            It says it runs, but it has not updated its status for {span(silent)} (it does every few seconds). It may be hung: check its process {status.pid}{' '}
            and its service log.
          </Alert>
        ) : null}
        <Table withTableBorder variant="vertical" aria-label={`Watcher of ${inbox}: details`}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={200}>Imports into</Table.Th>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <Code>{displayText(status.dest)}</Code>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Process</Table.Th>
              <Table.Td>
                {status.pid}, started {when(status.startedAt)}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Status written</Table.Th>
              <Table.Td>
                {when(status.updatedAt)}
                {silent !== null ? ` (${span(silent)} before this check)` : ''}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Working on</Table.Th>
              <Table.Td style={{ wordBreak: 'break-all' }} data-testid="watcher-current">
                {status.current ? (
                  <>
                    <Code>{displayText(status.current.name)}</Code>: {displayText(status.current.phase)} since {when(status.current.since)}
                  </>
                ) : (
                  'Nothing right now.'
                )}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Queue</Table.Th>
              <Table.Td data-testid="watcher-queue">{queueText(status)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Title order={5}>Since it started</Title>
        <CountsTable status={status} label={`Watcher of ${inbox}: counts`} />
        <Title order={5}>Channel findings</Title>
        {status.gaps.length === 0 ? (
          <Text size="sm">No gaps, duplicates or reordering reported since it started.</Text>
        ) : (
          <FindingsTable findings={status.gaps} label={`Watcher of ${inbox}: channel findings`} />
        )}
        <Title order={5}>Recent outcomes</Title>
        {status.recent.length === 0 ? (
          <Text size="sm">No bundle taken since it started. Bundles dropped into the inbox appear here once settled.</Text>
        ) : (
          <OutcomesTable records={status.recent} label={`Watcher of ${inbox}: recent outcomes`} inbox={status.inbox} />
        )}
      </Stack>
    </Paper>
  );
}
