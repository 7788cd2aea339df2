/**
 * Import step 4's signing: the station key's passphrase signs the import receipt set (JSON, PDF
 * and the signed JSON inside the PDF) and an audit checkpoint, as the CLI's `import` does. With
 * a key on the station a passphrase is asked; importing unsigned is an explicit, labelled choice
 * (the CLI's Enter at its prompt). A station without a key imports unsigned and says so. The
 * passphrase lives in the flow's state only until the job starts (ImportFlow clears it).
 */
import { Checkbox, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError, IpcResponse } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { useT } from '../../i18n/useT.js';

export interface ImportSigning {
  passphrase: string;
  /** The operator chose to import without signing (the receipt and the checkpoint stay unsigned). */
  unsigned: boolean;
}

export const NO_SIGNING: ImportSigning = { passphrase: '', unsigned: false };

/** What the station says about its key: null while it is being asked, or when asking failed. */
export interface StationKeyState {
  status: IpcResponse<'stationStatus'> | null;
  error: IpcError | null;
}

export function useStationKey(): StationKeyState {
  const api = useApi();
  const [state, setState] = useState<StationKeyState>({ status: null, error: null });
  useEffect(() => {
    let live = true;
    call(api, 'stationStatus', {}).then(
      (status) => live && setState({ status, error: null }),
      (e: unknown) => live && setState({ status: null, error: asIpcError(e) }),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return state;
}

/** Whether the import may start as chosen: a passphrase typed, unsigned chosen, or no key to sign with. Unknown counts as a key. */
export function signingReady(signing: ImportSigning, key: StationKeyState): boolean {
  return key.status?.hasKey === false || signing.unsigned || signing.passphrase !== '';
}

/** The startImport field: the passphrase when one is to sign, else nothing (unsigned). */
export function signingPassphrase(signing: ImportSigning): string | undefined {
  return signing.unsigned || signing.passphrase === '' ? undefined : signing.passphrase;
}

export interface ImportSigningFieldProps {
  stationKey: StationKeyState;
  signing: ImportSigning;
  onChange: (signing: ImportSigning) => void;
  /** The last attempt's error (a wrong passphrase), shown above the field and announced. */
  lastError: IpcError | null;
  /** What is signed: the import's receipt (default), or a medium verification's receipts (the verify-medium step). */
  purpose?: 'import' | 'verify-medium' | undefined;
}

/** The words that name what is signed; the passphrase's own label and the key's line are the same for both. */
const WORDS = {
  import: { title: 'import.sign.title', why: 'import.sign.why', unsigned: 'import.sign.unsigned', noKey: 'import.sign.noKey' },
  'verify-medium': {
    title: 'verify.medium.sign.title',
    why: 'verify.medium.sign.why',
    unsigned: 'verify.medium.sign.unsigned',
    noKey: 'verify.medium.sign.noKey',
  },
} as const;

export function ImportSigningField({ stationKey, signing, onChange, lastError, purpose = 'import' }: ImportSigningFieldProps) {
  const t = useT();
  const words = WORDS[purpose];
  const { status, error } = stationKey;
  if (status?.hasKey === false) {
    return (
      <Text size="sm" role="status" data-import-signing="no-key">
        {t(words.noKey)}
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-import-signing={signing.unsigned ? 'unsigned' : 'signed'}>
      <Title order={3}>{t(words.title)}</Title>
      {status?.stationKey ? (
        <Stack gap={4}>
          <Text size="sm">{t('import.sign.key', { userIds: displayText(status.stationKey.userIds.join(', ')) })}</Text>
          <Fingerprint value={status.stationKey.fingerprint} />
        </Stack>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
      {lastError ? <ErrorAlert error={lastError} /> : null}
      <PasswordInput
        visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
        label={t('import.sign.passphrase')}
        description={t(words.why)}
        value={signing.passphrase}
        onChange={(e) => onChange({ ...signing, passphrase: e.currentTarget.value })}
        disabled={signing.unsigned}
        // The import asks for a choice (signingReady); a medium's verification may leave it empty (unsigned receipts, said in the result).
        required={purpose === 'import' && !signing.unsigned}
        autoComplete="off"
        maw={480}
      />
      <Checkbox
        label={t(words.unsigned)}
        checked={signing.unsigned}
        // Choosing unsigned drops what was typed: nothing is kept that will not be used.
        onChange={(e) => onChange({ passphrase: '', unsigned: e.currentTarget.checked })}
      />
    </Stack>
  );
}
