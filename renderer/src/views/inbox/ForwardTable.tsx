/**
 * Audit forwarding to the SIEM, per sink: where to (a syslog address or a JSON-lines file),
 * the last audit event it acknowledged against the log's head, the backlog (icon and words), when
 * it last delivered and why the last attempt failed. The event's seq lets the SIEM de-duplicate.
 */
import { Code, Table, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { ForwardSinkStatus } from '../../../../shared/forward.js';
import type { MessageId } from '../../i18n/en.js';
import { useT } from '../../i18n/useT.js';
import { useInboxText } from './inbox-text.js';
import { MarkedText } from './MarkedText.js';

const KIND_TEXT: Record<ForwardSinkStatus['kind'], MessageId> = { syslog: 'inbox.forwardTable.syslog', jsonLines: 'inbox.forwardTable.jsonLines' };

export function ForwardTable({ sinks }: { sinks: readonly ForwardSinkStatus[] }) {
  const t = useT();
  const { when } = useInboxText();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder striped aria-label={t('inbox.forwardTable.label')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inbox.forwardTable.sink')}</Table.Th>
            <Table.Th>{t('inbox.forwardTable.delivered')}</Table.Th>
            <Table.Th>{t('inbox.forwardTable.backlog')}</Table.Th>
            <Table.Th>{t('inbox.forwardTable.lastDelivered')}</Table.Th>
            <Table.Th>{t('inbox.forwardTable.lastError')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sinks.map((sink) => (
            <Table.Tr key={`${sink.kind}-${sink.target}`} data-sink={sink.kind} data-backlog={sink.backlog}>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <Text size="sm">{t(KIND_TEXT[sink.kind])}</Text>
                <Code>{displayText(sink.target)}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{t('inbox.forwardTable.upTo', { delivered: sink.deliveredSeq, head: sink.headSeq })}</Text>
              </Table.Td>
              <Table.Td>
                <MarkedText
                  mark={
                    sink.backlog === 0
                      ? { icon: '✓', text: t('inbox.forwardTable.upToDate'), color: 'green' }
                      : { icon: '⚠', text: t('inbox.forwardTable.waiting', { count: sink.backlog }), color: 'orange' }
                  }
                />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{sink.lastDeliveredAt ? when(sink.lastDeliveredAt) : t('inbox.forwardTable.never')}</Text>
                {sink.lastAttemptAt ? (
                  <Text size="xs" c="dimmed">
                    {t('inbox.forwardTable.lastTried', { time: when(sink.lastAttemptAt) })}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>
                {/* The sink's own error text is the engine's English. */}
                {sink.lastError ? (
                  <span lang="en">
                    <MarkedText mark={{ icon: '✗', text: displayText(sink.lastError), color: 'red' }} />
                  </span>
                ) : (
                  <Text size="sm">{t('inbox.forwardTable.noError')}</Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
