import { PasswordInput } from '@mantine/core';
import { useT } from '../i18n/useT.js';

/**
 * A new passphrase and its repetition, as a key is made (create, rotate): one place for the
 * fields' help text, the mismatch message and the browser's new-password hint.
 */
export function NewPassphraseFields(props: {
  label: string;
  repeatLabel: string;
  value: string;
  onChange: (value: string) => void;
  repeat: string;
  onRepeatChange: (value: string) => void;
}) {
  const t = useT();
  const mismatch = props.repeat !== '' && props.repeat !== props.value;
  return (
    <>
      <PasswordInput
        visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
        label={props.label}
        description={t('keys.create.passphraseHelp')}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        autoComplete="new-password"
        required
      />
      <PasswordInput
        visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
        label={props.repeatLabel}
        value={props.repeat}
        onChange={(e) => props.onRepeatChange(e.currentTarget.value)}
        error={mismatch ? t('keys.create.mismatch') : null}
        autoComplete="new-password"
        required
      />
    </>
  );
}
