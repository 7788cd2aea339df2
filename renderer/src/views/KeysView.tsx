/** The station key and the signers this station trusts. */
import { Alert, Badge, Button, Card, Group, Modal, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError, IpcResponse, TrustedSignerView } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { GenerateKeyForm } from './GenerateKeyForm.js';
import { TrustKeyWizard } from './TrustKeyWizard.js';

/** The signer's role as a badge, unless the label already says it (the station key is labelled "this station"). */
function roleText(signer: TrustedSignerView): string | null {
  const text = signer.role === 'station' ? 'this station' : signer.role;
  return text && text !== signer.label ? text : null;
}

export function KeysView() {
  const api = useApi();
  const [status, setStatus] = useState<IpcResponse<'stationStatus'> | null>(null);
  const [signers, setSigners] = useState<TrustedSignerView[]>([]);
  const [error, setError] = useState<IpcError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [untrusting, setUntrusting] = useState<TrustedSignerView | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [s, list] = await Promise.all([call(api, 'stationStatus', {}), call(api, 'listTrusted', {})]);
      setStatus(s);
      setSigners(list.signers);
    } catch (e) {
      setError(asIpcError(e));
    }
  }, [api]);
  useEffect(() => void refresh(), [refresh]);

  const untrust = async () => {
    if (!untrusting) return;
    const target = untrusting;
    setUntrusting(null);
    try {
      const removed = await call(api, 'untrustKey', { fingerprint: target.fingerprint });
      setNotice(`No longer trusted: ${displayText(removed.userIds.join(', '))}`);
    } catch (e) {
      setError(asIpcError(e));
    }
    await refresh();
  };

  return (
    <Stack gap="xl">
      <Title order={2}>Keys</Title>
      {error ? <ErrorAlert error={error} /> : null}
      {notice ? (
        <Alert color="green" role="status" withCloseButton onClose={() => setNotice(null)} closeButtonLabel="Dismiss">
          {notice}
        </Alert>
      ) : null}

      <Stack gap="sm">
        <Title order={3}>This station&apos;s signing key</Title>
        {status === null ? null : status.hasKey ? (
          <Card withBorder aria-label="Station key">
            <Stack gap={6}>
              <Text fw={600}>{displayText(status.stationKey?.userIds.join(', ') ?? status.station)}</Text>
              {status.stationKey ? <Fingerprint value={status.stationKey.fingerprint} /> : null}
              <Text size="xs" c="dimmed">
                Receiving stations trust this key. Its private half is stored encrypted in {displayText(status.home)}.
              </Text>
            </Stack>
          </Card>
        ) : (
          <>
            <Text size="sm">
              This station has no signing key yet. Create one to export bundles; the passphrase protects it and is asked for at every export.
            </Text>
            <GenerateKeyForm
              onCreated={() => {
                setNotice('Station key created.');
                void refresh();
              }}
            />
          </>
        )}
      </Stack>

      <Stack gap="sm">
        <Title order={3}>Trusted signers</Title>
        {signers.length === 0 ? (
          <Text size="sm">No trusted signers. Bundles from other stations will be rejected until you trust their keys.</Text>
        ) : (
          <Table withTableBorder striped aria-label="Trusted signers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Signer</Table.Th>
                <Table.Th>Fingerprint</Table.Th>
                <Table.Th>Trusted since</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {signers.map((s) => (
                <Table.Tr key={s.fingerprint}>
                  <Table.Td>
                    <Stack gap={2}>
                      <Text size="sm">{displayText(s.userIds.join(', ') || '(no user ID)')}</Text>
                      <Group gap={4}>
                        {s.label ? <Badge variant="light">{displayText(s.label)}</Badge> : null}
                        {roleText(s) ? <Badge variant="outline">{displayText(roleText(s) ?? '')}</Badge> : null}
                      </Group>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Fingerprint value={s.fingerprint} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{displayText(s.addedAt.slice(0, 10))}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      color="red"
                      onClick={() => setUntrusting(s)}
                      aria-label={`Stop trusting ${displayText(s.userIds.join(', '))}`}
                    >
                      Stop trusting…
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>

      <Stack gap="sm">
        <Title order={3}>Trust a signer&apos;s key</Title>
        <TrustKeyWizard
          onTrusted={(message) => {
            setNotice(message);
            void refresh();
          }}
        />
      </Stack>

      <Modal
        opened={untrusting !== null}
        onClose={() => setUntrusting(null)}
        title="Stop trusting this signer?"
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {untrusting ? (
          <Stack>
            <Text size="sm">
              Bundles signed only by <b>{displayText(untrusting.userIds.join(', '))}</b> will be rejected from now on.
              {untrusting.role === 'station' ? ' This is the station’s own key: this station will no longer verify its own bundles.' : ''}
            </Text>
            <Fingerprint value={untrusting.fingerprint} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setUntrusting(null)}>
                Keep trusting
              </Button>
              <Button color="red" onClick={() => void untrust()}>
                Stop trusting
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Stack>
  );
}
