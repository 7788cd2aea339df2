/**
 * What this station knows of each (signer, channel) it received on: the last sequence number and
 * when, the last heartbeat, the sequence numbers known missing (gaps not since filled), and the
 * heartbeat interval with whether it is kept (icon and words). Also what `airlock channels` tells
 * besides: the last bundle's tag manifest (the back-link the next one must carry), the last
 * heartbeat without an interval, and that a full list of missing numbers may not be all of them.
 */
import { Code, Table, Text } from '@mantine/core';
import type { ChannelState } from '../../../../shared/channels.js';
import { displayText } from '../../../../shared/display-text.js';
import { INBOX_IPC_LIMITS } from '../../../../shared/ipc.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { useT } from '../../i18n/useT.js';
import { ALARM_ICON, runsOf, useInboxText } from './inbox-text.js';
import { MarkedText } from './MarkedText.js';

/** How many missing numbers core lists per channel (INBOX_IPC_LIMITS.missing): at this many, more may be missing. */
const MISSING_LISTED = INBOX_IPC_LIMITS.missing;

function HeartbeatCell({ state }: { state: ChannelState }) {
  const t = useT();
  const { span, when } = useInboxText();
  if (state.heartbeatIntervalSeconds === null)
    return (
      <>
        <Text size="sm">{t('inbox.channelsTable.noInterval')}</Text>
        {/* `airlock channels` names the last heartbeat with or without an interval; so does the view. */}
        {state.lastHeartbeatAt ? (
          <Text size="xs" c="dimmed">
            {t('inbox.channelsTable.lastHeartbeat', { time: when(state.lastHeartbeatAt) })}
          </Text>
        ) : null}
      </>
    );
  return (
    <>
      <MarkedText
        mark={
          state.alarm
            ? { icon: ALARM_ICON, text: t('inbox.channelsTable.overdue', { span: span(state.alarm.overdueSeconds) }), color: 'red' }
            : { icon: '✓', text: t('inbox.channelsTable.onTime'), color: 'green' }
        }
      />
      <Text size="xs" c="dimmed">
        {state.lastHeartbeatAt
          ? t('inbox.channelsTable.expected', { span: span(state.heartbeatIntervalSeconds), time: when(state.lastHeartbeatAt) })
          : t('inbox.channelsTable.expectedNone', { span: span(state.heartbeatIntervalSeconds) })}
      </Text>
    </>
  );
}

export function ChannelsTable({ states }: { states: readonly ChannelState[] }) {
  const t = useT();
  const { when } = useInboxText();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder striped aria-label={t('inbox.channelsTable.label')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inbox.channelsTable.signer')}</Table.Th>
            <Table.Th>{t('inbox.channelsTable.channel')}</Table.Th>
            <Table.Th>{t('inbox.channelsTable.lastSequence')}</Table.Th>
            <Table.Th>{t('inbox.channelsTable.lastReceived')}</Table.Th>
            <Table.Th>{t('inbox.channelsTable.missing')}</Table.Th>
            <Table.Th>{t('inbox.channelsTable.heartbeat')}</Table.Th>
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
              <Table.Td>
                {state.lastSequence}
                {/* The back-link the next bundle on the channel must carry: compare it with the sender's (docs/channels.md). */}
                <Text size="xs" c="dimmed">
                  {t('inbox.channelsTable.lastBundle', { hash: `${displayText(state.lastTagManifestSha256.slice(0, 12))}…` })}
                </Text>
              </Table.Td>
              <Table.Td>{when(state.lastReceivedAt)}</Table.Td>
              <Table.Td>
                {state.missing.length === 0 ? (
                  <MarkedText mark={{ icon: '✓', text: t('inbox.channelsTable.none'), color: 'green' }} />
                ) : (
                  <>
                    <MarkedText
                      mark={{
                        icon: '⚠',
                        // Core keeps the first 100 missing numbers: at the cap there may be more (the CLI adds "…").
                        text:
                          state.missing.length >= MISSING_LISTED
                            ? t('inbox.channelsTable.missingAtLeast', { count: state.missing.length })
                            : t('inbox.channelsTable.missingCount', { count: state.missing.length }),
                        color: 'orange',
                      }}
                    />
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
