/**
 * The station key's algorithm, as `keys generate --algorithm` and `keys rotate --algorithm` take
 * it: ed25519 unless a site requires RSA or a NIST curve. A native select: keyboard and screen
 * readers get the platform's own control.
 */
import { NativeSelect } from '@mantine/core';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../../../shared/key-algorithms.js';
import type { MessageId } from '../i18n/en.js';
import { useT } from '../i18n/useT.js';

const ALGORITHM_TEXT: Record<KeyAlgorithm, MessageId> = {
  ed25519: 'keys.algorithm.ed25519',
  rsa4096: 'keys.algorithm.rsa4096',
  p384: 'keys.algorithm.p384',
};

function isKeyAlgorithm(value: string): value is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly string[]).includes(value);
}

export function KeyAlgorithmSelect({ value, onChange }: { value: KeyAlgorithm; onChange: (algorithm: KeyAlgorithm) => void }) {
  const t = useT();
  return (
    <NativeSelect
      label={t('keys.algorithm.label')}
      description={t('keys.algorithm.help')}
      value={value}
      onChange={(e) => {
        const chosen = e.currentTarget.value;
        if (isKeyAlgorithm(chosen)) onChange(chosen);
      }}
      data={KEY_ALGORITHMS.map((a) => ({ value: a, label: t(ALGORITHM_TEXT[a]) }))}
    />
  );
}
