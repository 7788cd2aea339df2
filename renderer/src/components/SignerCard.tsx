/** Who signed a bundle, as proven by a verified signature: name, grouped fingerprint, trust label. */
import { Card, Group, Stack, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { SignerInfo } from '../../../shared/results.js';
import { useFormat } from '../i18n/format.js';
import { useT } from '../i18n/useT.js';
import { Fingerprint } from './Fingerprint.js';
import { StatusBadge } from './StatusIcon.js';
import { shownTrustLabel } from './trust-label.js';

export function SignerCard({ signer }: { signer: SignerInfo }) {
  const t = useT();
  const f = useFormat();
  const name = signer.userIds.length > 0 ? signer.userIds.map(displayText).join(', ') : t('signer.noUserId');
  return (
    <Card withBorder padding="md" aria-label={t('signer.label', { name })}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{name}</Text>
          <StatusBadge tone="pass">
            {signer.label ? t('signer.trustedAs', { label: shownTrustLabel(signer.label, signer.role, t) }) : t('signer.trusted')}
          </StatusBadge>
        </Group>
        <Fingerprint value={signer.fingerprint} />
        <Text size="xs" c="dimmed">
          {t('signer.signedAt', { time: displayText(f.utcTime(signer.signedAt)) })}
        </Text>
      </Stack>
    </Card>
  );
}
