/**
 * Trust a signer's public key: choose the file, see its fingerprint grouped, and type the
 * fingerprint as the key's owner reads it to you over a channel you trust. Only what the operator
 * typed goes to core as expectedFingerprint (as with the CLI's --fingerprint), so neither a
 * swapped file nor a careless click can make the station trust a key nobody compared.
 */
import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import { normalizeFingerprint } from '../../../shared/fingerprint.js';
import type { IpcError, IpcResponse } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { StatusText } from '../components/StatusIcon.js';

type Inspected = IpcResponse<'inspectKeyFile'> & { file: string };

export function TrustKeyWizard({ onTrusted }: { onTrusted: (message: string) => void }) {
  const api = useApi();
  const [key, setKey] = useState<Inspected | null>(null);
  const [typed, setTyped] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);

  const typedMatches = typed !== '' && normalizeFingerprint(typed) === key?.fingerprint;
  const typedWrong = typed.replace(/\s/g, '').length >= 40 && !typedMatches;
  const confirmed = typedMatches;

  const reset = () => {
    setKey(null);
    setTyped('');
    setLabel('');
  };
  const choose = async () => {
    setError(null);
    try {
      const { path } = await call(api, 'chooseKeyFile', {});
      if (path === null) return;
      reset();
      setKey({ ...(await call(api, 'inspectKeyFile', { file: path })), file: path });
    } catch (e) {
      setError(asIpcError(e));
    }
  };
  const trust = async () => {
    if (!key || !confirmed) return;
    setBusy(true);
    setError(null);
    try {
      const { signer, alreadyTrusted } = await call(api, 'trustKeyFile', {
        file: key.file,
        expectedFingerprint: normalizeFingerprint(typed),
        label: label.trim() ? label : undefined,
      });
      reset();
      onTrusted(`${alreadyTrusted ? 'Already trusted (label updated)' : 'Now trusted'}: ${displayText(signer.userIds.join(', '))}`);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={640}>
      <Text size="sm" c="dimmed">
        Only trust a key after comparing its fingerprint with its owner over a channel you trust (in person, or by phone with a voice you know).
      </Text>
      <Group>
        <Button variant={key ? 'default' : 'filled'} onClick={() => void choose()}>
          {key ? 'Choose another key file…' : 'Choose key file…'}
        </Button>
      </Group>
      {key ? (
        <Stack gap="sm" aria-label="Key to trust">
          <Text size="sm">
            The file <b>{displayText(key.file)}</b> holds the key of <b>{displayText(key.userIds.join(', ') || '(no user ID)')}</b> (
            {displayText(key.algorithm)}).
          </Text>
          <Text size="sm" fw={600}>
            Read this fingerprint to the key&apos;s owner, group by group:
          </Text>
          <Fingerprint value={key.fingerprint} size="lg" />
          <TextInput
            label="Type the fingerprint the owner reads to you"
            description="Spaces and lower case are fine."
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            error={typedWrong ? 'This is not the fingerprint of the key in the file. Do not trust it.' : null}
            autoComplete="off"
            spellCheck={false}
          />
          {typedMatches ? (
            <StatusText tone="pass" role="status">
              The fingerprint you typed matches the key.
            </StatusText>
          ) : null}
          <TextInput
            label="Label (optional)"
            description='Shown when their bundles verify, e.g. "Lab B diode".'
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            maw={400}
          />
          {!confirmed ? (
            <Alert color="gray" variant="light">
              Confirm the fingerprint first: type it as the key&apos;s owner reads it to you.
            </Alert>
          ) : null}
          <Group>
            <Button onClick={() => void trust()} disabled={!confirmed || busy} loading={busy}>
              Trust this key
            </Button>
            <Button variant="subtle" onClick={reset}>
              Cancel
            </Button>
          </Group>
        </Stack>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}
