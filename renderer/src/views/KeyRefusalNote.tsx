/** A trusted key that verify now refuses (trusted before the SHA-1 and v6 rules, or expired or revoked since): the marker under its name in the Keys view. */
import { Stack, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { TrustedSignerView } from '../../../shared/ipc.js';
import { StatusBadge } from '../components/StatusIcon.js';
import { useT } from '../i18n/useT.js';

const REASON = {
  KEY_SHA1_BINDING: 'keys.refused.sha1',
  KEY_V6_UNSUPPORTED: 'keys.refused.v6',
  SIGNER_EXPIRED: 'keys.refused.expired',
  SIGNER_REVOKED: 'keys.refused.revoked',
} as const satisfies Record<NonNullable<TrustedSignerView['refusal']>['code'], string>;

/** A trusted key with one expired or revoked signing subkey beside a good one: accepted, with a warning. */
export function KeyWarningNote({ warning }: { warning: NonNullable<TrustedSignerView['warning']> }) {
  const t = useT();
  return (
    <Stack gap={2}>
      <StatusBadge tone="warn">{t('keys.warned.badge', { code: warning.code })}</StatusBadge>
      <Text size="sm">{t('keys.warned.subkey')}</Text>
      <Text size="xs" c="dimmed" translate="no">
        {displayText(`${warning.detail} ${warning.next}`)}
      </Text>
    </Stack>
  );
}

export function KeyRefusalNote({ refusal }: { refusal: NonNullable<TrustedSignerView['refusal']> }) {
  const t = useT();
  return (
    <Stack gap={2}>
      <StatusBadge tone="fail">{t('keys.refused.badge', { code: refusal.code })}</StatusBadge>
      <Text size="sm">{t(REASON[refusal.code])}</Text>
      {/* The engine's words with the owner's GnuPG commands (fingerprint filled in): facts, as they came. */}
      <Text size="xs" c="dimmed" translate="no">
        {displayText(`${refusal.detail} ${refusal.next}`)}
      </Text>
    </Stack>
  );
}
