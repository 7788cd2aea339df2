/** A fingerprint in groups of four, monospaced, so it can be read aloud and compared group by group. */
import { Code } from '@mantine/core';
import { groupFingerprint } from '../../../shared/fingerprint.js';

export function Fingerprint({ value, size = 'sm' }: { value: string; size?: 'sm' | 'lg' }) {
  const grouped = groupFingerprint(value);
  return (
    <Code
      block={size === 'lg'}
      fz={size === 'lg' ? 'lg' : 'sm'}
      style={{ letterSpacing: '0.05em', wordSpacing: '0.3em' }}
      aria-label={`Fingerprint ${grouped}`}
      data-fingerprint={value}
    >
      {grouped}
    </Code>
  );
}
