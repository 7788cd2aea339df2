/**
 * Export step 4: the passphrase that unlocks the station key. It lives in this component's
 * state only until the job starts, is cleared on the way out, and is never stored.
 */
import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError, IpcResponse, SelectionSummary } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';

export interface SignStepProps {
  summary: SelectionSummary;
  /** Where the bundle goes, already displayText'ed. */
  destinationText: string;
  /** What besides files the bundle carries, in a sentence; null for files only. */
  imagesFact?: string | null | undefined;
  /** An error from the previous attempt (a wrong passphrase, say), shown above the field. */
  lastError: IpcError | null;
  onBack: () => void;
  onSign: (passphrase: string) => Promise<void>;
  onOpenKeys: () => void;
  /** The sign button's text when it does not write a bundle (a two-person export is staged). */
  submitLabel?: string | undefined;
}

export function SignStep({ summary, destinationText, imagesFact = null, lastError, onBack, onSign, onOpenKeys, submitLabel }: SignStepProps) {
  const api = useApi();
  const t = useT();
  const f = useFormat();
  const [passphrase, setPassphrase] = useState('');
  const [status, setStatus] = useState<IpcResponse<'stationStatus'> | null>(null);
  const [error, setError] = useState<IpcError | null>(lastError);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call(api, 'stationStatus', {}).then(setStatus, (e: unknown) => setError(asIpcError(e)));
  }, [api]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (passphrase === '') return;
    setBusy(true);
    const value = passphrase;
    setPassphrase('');
    try {
      await onSign(value);
    } catch (e) {
      setError(asIpcError(e));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack>
        <StepHeader
          flow={t('flow.export')}
          step={4}
          of={6}
          title={t('export.sign.title')}
          happens={t('export.sign.happens')}
          proven={[
            t('export.selectionHolds', { files: summary.totalFiles, size: f.bytes(summary.totalBytes) }),
            ...(imagesFact ? [imagesFact] : []),
            t('export.sign.goesTo', { destination: destinationText }),
          ]}
        />
        {status && !status.hasKey ? (
          <Alert color="red" title={t('export.sign.noKeyTitle')} role="alert">
            <Text size="sm">{t('export.sign.noKeyText')}</Text>
            <Button mt="xs" size="xs" onClick={onOpenKeys}>
              {t('export.sign.createKey')}
            </Button>
          </Alert>
        ) : null}
        {status?.stationKey ? (
          <Stack gap={4}>
            <Text size="sm">{t('export.sign.key', { userIds: displayText(status.stationKey.userIds.join(', ')) })}</Text>
            <Fingerprint value={status.stationKey.fingerprint} />
          </Stack>
        ) : null}
        {error ? <ErrorAlert error={error} /> : null}
        <PasswordInput
          visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
          label={t('export.sign.passphrase')}
          description={t('export.sign.passphraseHelp')}
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          autoComplete="off"
          required
          maw={480}
          data-autofocus
        />
        <Group justify="space-between">
          <Button variant="default" onClick={onBack} disabled={busy}>
            {t('flow.back')}
          </Button>
          <Button type="submit" disabled={passphrase === '' || busy || status?.hasKey === false} loading={busy}>
            {submitLabel ?? t('export.sign.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
