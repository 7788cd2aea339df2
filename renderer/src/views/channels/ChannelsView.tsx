/**
 * The sending side of channels (docs/channels.md): a heartbeat sent from here keeps the far
 * side's numbers moving when there is no traffic. What this station received on each channel,
 * and its alarms, stay in the Inbox view (read only there); exports take a channel in their
 * destination step.
 */
import { Stack, Text, Title } from '@mantine/core';
import { useT } from '../../i18n/useT.js';
import { HeartbeatPanel } from './HeartbeatPanel.js';

export function ChannelsView() {
  const t = useT();
  return (
    <Stack gap="lg">
      <Title order={2}>{t('channels.title')}</Title>
      <Text size="sm">{t('channels.intro')}</Text>
      <HeartbeatPanel />
    </Stack>
  );
}
