/**
 * Audit forwarding to the SIEM, per sink: where to (a syslog address or a JSON-lines file),
 * the last audit event it acknowledged against the log's head, the backlog (icon and words), when
 * it last delivered and why the last attempt failed. The event's seq lets the SIEM de-duplicate.
 */
import { Code, Table, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { ForwardSinkStatus } from '../../../../shared/forward.js';
import { plural } from '../../../../shared/format.js';
import { when } from './inbox-text.js';
import { MarkedText } from './MarkedText.js';

const KIND_TEXT: Record<ForwardSinkStatus['kind'], string> = { syslog: 'Syslog (RFC 5424)', jsonLines: 'JSON lines (ECS)' };

export function ForwardTable({ sinks }: { sinks: readonly ForwardSinkStatus[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder striped aria-label="Forwarding sinks">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Sink</Table.Th>
            <Table.Th>Delivered</Table.Th>
            <Table.Th>Backlog</Table.Th>
            <Table.Th>Last delivered</Table.Th>
            <Table.Th>Last error</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sinks.map((sink) => (
            <Table.Tr key={`${sink.kind}-${sink.target}`} data-sink={sink.kind} data-backlog={sink.backlog}>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <Text size="sm">{KIND_TEXT[sink.kind]}</Text>
                <Code>{displayText(sink.target)}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  up to event #{sink.deliveredSeq} of #{sink.headSeq}
                </Text>
              </Table.Td>
              <Table.Td>
                <MarkedText
                  mark={
                    sink.backlog === 0
                      ? { icon: '✓', text: 'None: up to date', color: 'green' }
                      : { icon: '⚠', text: `${plural(sink.backlog, 'event')} waiting`, color: 'orange' }
                  }
                />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{sink.lastDeliveredAt ? when(sink.lastDeliveredAt) : 'never'}</Text>
                {sink.lastAttemptAt ? (
                  <Text size="xs" c="dimmed">
                    last tried {when(sink.lastAttemptAt)}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>
                {sink.lastError ? <MarkedText mark={{ icon: '✗', text: displayText(sink.lastError), color: 'red' }} /> : <Text size="sm">none</Text>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
