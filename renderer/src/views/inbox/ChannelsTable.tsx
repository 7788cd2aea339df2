/**
 * What this station knows of each (signer, channel) it received on: the last sequence number and
 * when, the last heartbeat, the sequence numbers known missing (gaps not since filled), and the
 * heartbeat interval with whether it is kept (icon and words).
 */
import { Code, Table, Text } from '@mantine/core';
import type { ChannelState } from '../../../../shared/channels.js';
import { displayText } from '../../../../shared/display-text.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { ALARM_ICON, runsOf, span, when } from './inbox-text.js';
import { MarkedText } from './MarkedText.js';

function HeartbeatCell({ state }: { state: ChannelState }) {
  if (state.heartbeatIntervalSeconds === null) return <Text size="sm">No interval set by the policy</Text>;
  return (
    <>
      <MarkedText
        mark={
          state.alarm
            ? { icon: ALARM_ICON, text: `Overdue by ${span(state.alarm.overdueSeconds)}`, color: 'red' }
            : { icon: '✓', text: 'On time', color: 'green' }
        }
      />
      <Text size="xs" c="dimmed">
        expected every {span(state.heartbeatIntervalSeconds)}
        {state.lastHeartbeatAt ? `; last ${when(state.lastHeartbeatAt)}` : '; none received yet'}
      </Text>
    </>
  );
}

export function ChannelsTable({ states }: { states: readonly ChannelState[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder striped aria-label="Channel states">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Signer</Table.Th>
            <Table.Th>Channel</Table.Th>
            <Table.Th>Last sequence</Table.Th>
            <Table.Th>Last received</Table.Th>
            <Table.Th>Missing</Table.Th>
            <Table.Th>Heartbeat</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {states.map((state) => (
            <Table.Tr
              key={`${state.signer}-${state.channel}`}
              data-channel={state.channel}
              data-missing={state.missing.length}
              data-alarm={state.alarm ? 'yes' : 'no'}
            >
              <Table.Td>
                <Fingerprint value={state.signer} />
              </Table.Td>
              <Table.Td>
                <Code>{displayText(state.channel)}</Code>
              </Table.Td>
              <Table.Td>{state.lastSequence}</Table.Td>
              <Table.Td>{when(state.lastReceivedAt)}</Table.Td>
              <Table.Td>
                {state.missing.length === 0 ? (
                  <MarkedText mark={{ icon: '✓', text: 'None', color: 'green' }} />
                ) : (
                  <>
                    <MarkedText mark={{ icon: '⚠', text: `${state.missing.length} missing`, color: 'orange' }} />
                    <Text size="sm" ff="monospace">
                      {runsOf(state.missing)}
                    </Text>
                  </>
                )}
              </Table.Td>
              <Table.Td>
                <HeartbeatCell state={state} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
