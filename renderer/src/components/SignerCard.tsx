/** Who signed a bundle, as proven by a verified signature: name, grouped fingerprint, trust label. */
import { Card, Group, Stack, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { SignerInfo } from '../../../shared/results.js';
import { Fingerprint } from './Fingerprint.js';
import { StatusBadge } from './StatusIcon.js';

export function SignerCard({ signer }: { signer: SignerInfo }) {
  const name = signer.userIds.length > 0 ? signer.userIds.map(displayText).join(', ') : '(no user ID)';
  return (
    <Card withBorder padding="md" aria-label={`Signer ${name}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{name}</Text>
          <StatusBadge tone="pass">{signer.label ? `Trusted: ${displayText(signer.label)}` : 'Trusted signer'}</StatusBadge>
        </Group>
        <Fingerprint value={signer.fingerprint} />
        <Text size="xs" c="dimmed">
          Signed at {displayText(signer.signedAt)} (as the signer&apos;s clock stated it)
        </Text>
      </Stack>
    </Card>
  );
}
