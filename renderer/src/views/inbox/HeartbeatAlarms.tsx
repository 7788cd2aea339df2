/**
 * Heartbeat alarms standing now, at the top of the view: a channel on which nothing (not even a
 * heartbeat) arrived for longer than the policy's interval. "No traffic" would still bring
 * heartbeats; silence means the link, the sender or the traffic is lost. Text and icon, one
 * alert per channel, announced to screen readers.
 */
import { Alert, Code, Stack, Text } from '@mantine/core';
import type { HeartbeatAlarm } from '../../../../shared/channels.js';
import { displayText } from '../../../../shared/display-text.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { Msg, useT } from '../../i18n/useT.js';
import { ALARM_ICON, useInboxText } from './inbox-text.js';

/** The alarms of the channel states and of every watcher, one per (signer, channel): the latest check wins. */
export function standingAlarms(lists: ReadonlyArray<readonly HeartbeatAlarm[]>): HeartbeatAlarm[] {
  const byChannel = new Map<string, HeartbeatAlarm>();
  for (const alarm of lists.flat()) {
    const key = `${alarm.signer}\u0000${alarm.channel}`;
    const known = byChannel.get(key);
    if (!known || known.checkedAt < alarm.checkedAt) byChannel.set(key, alarm);
  }
  return [...byChannel.values()].sort((a, b) => b.overdueSeconds - a.overdueSeconds);
}

export function HeartbeatAlarms({ alarms }: { alarms: readonly HeartbeatAlarm[] }) {
  const t = useT();
  const { span, when } = useInboxText();
  if (alarms.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="heartbeat-alarms">
      {alarms.map((alarm) => (
        <Alert
          key={`${alarm.signer}-${alarm.channel}`}
          color="red"
          variant="light"
          role="alert"
          // Prominent without a filled background: the fingerprint and channel stay readable in both themes.
          style={{ borderLeft: '6px solid var(--mantine-color-red-7)' }}
          icon={
            <Text span aria-hidden="true" fw={700} c="red.8" fz="lg">
              {ALARM_ICON}
            </Text>
          }
          title={t('inbox.alarm.title', { channel: displayText(alarm.channel), span: span(alarm.intervalSeconds + alarm.overdueSeconds) })}
          data-alarm-channel={alarm.channel}
        >
          <Text size="sm">
            <Msg
              id="inbox.alarm.text"
              values={{
                interval: span(alarm.intervalSeconds),
                last: when(alarm.lastReceivedAt),
                overdue: span(alarm.overdueSeconds),
                checked: when(alarm.checkedAt),
                channel: displayText(alarm.channel),
                code: (chunks) => <Code>{chunks}</Code>,
              }}
            />
          </Text>
          <Text size="sm" mt={4}>
            {t('inbox.alarm.signer')} <Fingerprint value={alarm.signer} />
          </Text>
        </Alert>
      ))}
    </Stack>
  );
}
