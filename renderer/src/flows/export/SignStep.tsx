/**
 * Export step 4: the passphrase that unlocks the station key. It lives in this component's
 * state only until the job starts, is cleared on the way out, and is never stored.
 */
import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import { formatBytes } from '../../../../shared/format.js';
import type { IpcError, IpcResponse, SelectionSummary } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { plural } from '../../components/plural.js';
import { StepHeader } from '../../components/StepHeader.js';

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
}

export function SignStep({ summary, destinationText, imagesFact = null, lastError, onBack, onSign, onOpenKeys }: SignStepProps) {
  const api = useApi();
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
          flow="Export"
          step={4}
          of={6}
          title="Sign the bundle"
          happens="Your passphrase unlocks the station key for this one export. Every file is hashed, the manifest is signed, and the bundle is written and flushed to disk. The passphrase is not stored."
          proven={[
            `The selection holds ${plural(summary.totalFiles, 'file')}, ${formatBytes(summary.totalBytes)}.`,
            ...(imagesFact ? [imagesFact] : []),
            `The bundle goes to ${destinationText}.`,
          ]}
        />
        {status && !status.hasKey ? (
          <Alert color="red" title="This station has no signing key yet" role="alert">
            <Text size="sm">NO_STATION_KEY: a bundle cannot be signed without one.</Text>
            <Button mt="xs" size="xs" onClick={onOpenKeys}>
              Create the station key
            </Button>
          </Alert>
        ) : null}
        {status?.stationKey ? (
          <Stack gap={4}>
            <Text size="sm">Signing key of this station ({displayText(status.stationKey.userIds.join(', '))}):</Text>
            <Fingerprint value={status.stationKey.fingerprint} />
          </Stack>
        ) : null}
        {error ? <ErrorAlert error={error} /> : null}
        <PasswordInput
          label="Station key passphrase"
          description="Typed each time; Airlock never stores it."
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          autoComplete="off"
          required
          maw={480}
          data-autofocus
        />
        <Group justify="space-between">
          <Button variant="default" onClick={onBack} disabled={busy}>
            Back
          </Button>
          <Button type="submit" disabled={passphrase === '' || busy || status?.hasKey === false} loading={busy}>
            Sign and write bundle
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
