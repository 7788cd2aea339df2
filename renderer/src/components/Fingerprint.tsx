/** A fingerprint in groups of four, monospaced, so it can be read aloud and compared group by group. */
import { Code } from '@mantine/core';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { useT } from '../i18n/useT.js';

export function Fingerprint({ value, size = 'sm' }: { value: string; size?: 'sm' | 'lg' }) {
  const t = useT();
  const grouped = groupFingerprint(value);
  return (
    <Code
      block={size === 'lg'}
      fz={size === 'lg' ? 'lg' : 'sm'}
      style={{ letterSpacing: '0.05em', wordSpacing: '0.3em' }}
      aria-label={t('fingerprint.label', { fingerprint: grouped })}
      translate="no"
      data-fingerprint={value}
    >
      {grouped}
    </Code>
  );
}
