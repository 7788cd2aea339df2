/** The station key and the signers this station trusts. */
import { Alert, Badge, Button, Card, Group, Modal, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError, IpcResponse, TrustedSignerView } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { GenerateKeyForm } from './GenerateKeyForm.js';
import { useFormat } from '../i18n/format.js';
import { Msg, useT } from '../i18n/useT.js';
import { TrustKeyWizard } from './TrustKeyWizard.js';
import { shownTrustLabel } from '../components/trust-label.js';
import { StatusBadge } from '../components/StatusIcon.js';
import { BackupKeyDialog } from './BackupKeyDialog.js';
import { RestoreKeyForm } from './RestoreKeyForm.js';
import { RevocationImport } from './RevocationImport.js';
import { RotateKeyDialog, type Rotated } from './RotateKeyDialog.js';
import { KeyRefusalNote, KeyWarningNote } from './KeyRefusalNote.js';

/** The signer's role as a badge, unless the label already says it (the station key is labelled "this station"). */
function roleText(signer: TrustedSignerView): string | null {
  // A retired station key is no longer "this station": its own badge says what it is.
  if (signer.retiredAt) return null;
  const text = signer.role === 'station' ? 'this station' : signer.role;
  return text && text !== signer.label ? text : null;
}

export function KeysView() {
  const api = useApi();
  const t = useT();
  const f = useFormat();
  const [status, setStatus] = useState<IpcResponse<'stationStatus'> | null>(null);
  const [signers, setSigners] = useState<TrustedSignerView[]>([]);
  const [error, setError] = useState<IpcError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [untrusting, setUntrusting] = useState<TrustedSignerView | null>(null);
  const [rotating, setRotating] = useState(false);
  const [backingUp, setBackingUp] = useState(false);
  const [rotated, setRotated] = useState<Rotated | null>(null);

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
      setNotice(t('keys.untrusted', { name: displayText(removed.userIds.join(', ')) }));
    } catch (e) {
      setError(asIpcError(e));
    }
    await refresh();
  };

  /** The station's public key, or a trusted signer's; main's save dialog says where. */
  const exportPublic = async (signer?: TrustedSignerView) => {
    setError(null);
    try {
      const { path } = await call(api, 'exportPublicKey', signer ? { fingerprint: signer.fingerprint } : {});
      if (path === null) return;
      setNotice(
        signer
          ? t('keyActions.exportedSigner', { name: displayText(signer.userIds.join(', ')), path: displayText(path) })
          : t('keyActions.exported', { path: displayText(path) }),
      );
    } catch (e) {
      setError(asIpcError(e));
    }
  };

  return (
    <Stack gap="xl">
      <Title order={2}>{t('keys.title')}</Title>
      {error ? <ErrorAlert error={error} /> : null}
      {notice ? (
        <Alert color="green" role="status" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.dismiss')}>
          {notice}
        </Alert>
      ) : null}
      {rotated ? (
        <Alert
          color="green"
          role="status"
          title={t('keyActions.rotate.done')}
          withCloseButton
          onClose={() => setRotated(null)}
          closeButtonLabel={t('common.dismiss')}
        >
          <Stack gap={6}>
            <Text size="sm">{t('keyActions.rotate.retired')}</Text>
            <Fingerprint value={rotated.retired} />
            <Text size="sm">{t('keyActions.rotate.current.label', { name: displayText(rotated.current.userIds.join(', ')) })}</Text>
            <Fingerprint value={rotated.current.fingerprint} />
            <Text size="sm" fw={600}>
              {t('keyActions.rotate.hint')}
            </Text>
          </Stack>
        </Alert>
      ) : null}

      <Stack gap="sm">
        <Title order={3}>{t('keys.station.title')}</Title>
        {status === null ? null : status.hasKey ? (
          <Card withBorder aria-label={t('keys.station.label')}>
            <Stack gap={6}>
              <Text fw={600}>{displayText(status.stationKey?.userIds.join(', ') ?? status.station)}</Text>
              {status.stationKey ? <Fingerprint value={status.stationKey.fingerprint} /> : null}
              <Text size="xs" c="dimmed">
                {t('keys.station.stored', { home: displayText(status.home) })}
              </Text>
              <Group gap="xs" role="group" aria-label={t('keyActions.group')}>
                <Button size="xs" variant="default" onClick={() => void exportPublic()}>
                  {t('keyActions.export')}
                </Button>
                <Button size="xs" variant="default" onClick={() => setBackingUp(true)}>
                  {t('keyActions.backup.button')}
                </Button>
                <Button size="xs" variant="default" color="orange" onClick={() => setRotating(true)}>
                  {t('keyActions.rotate.button')}
                </Button>
              </Group>
            </Stack>
          </Card>
        ) : (
          <>
            <Text size="sm">{t('keys.station.none')}</Text>
            <GenerateKeyForm
              onCreated={() => {
                setNotice(t('keys.created'));
                void refresh();
              }}
            />
            <Title order={4}>{t('keyActions.restore.title')}</Title>
            <RestoreKeyForm
              onRestored={(key) => {
                setNotice(t('keyActions.restore.done', { name: displayText(key.userIds.join(', ')) }));
                void refresh();
              }}
            />
          </>
        )}
      </Stack>

      <Stack gap="sm">
        <Title order={3}>{t('keys.trusted.title')}</Title>
        {signers.length === 0 ? (
          <Text size="sm">{t('keys.trusted.none')}</Text>
        ) : (
          // Narrow windows (200% zoom, docs/accessibility.md) scroll the table sideways in its own box, which Tab can reach.
          <Table.ScrollContainer minWidth={520} type="native" tabIndex={0} role="region" aria-label={t('keys.trusted.title')}>
            <Table withTableBorder striped aria-label={t('keys.trusted.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('keys.trusted.signer')}</Table.Th>
                  <Table.Th scope="col">{t('keys.trusted.fingerprint')}</Table.Th>
                  <Table.Th scope="col">{t('keys.trusted.since')}</Table.Th>
                  {/* Relative: the hidden label is absolutely placed and must scroll with the table, not widen the page. */}
                  <Table.Th scope="col" pos="relative">
                    <VisuallyHidden>{t('keys.trusted.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {signers.map((s) => (
                  <Table.Tr key={s.fingerprint}>
                    <Table.Td>
                      <Stack gap={2}>
                        <Text size="sm">{s.userIds.length > 0 ? displayText(s.userIds.join(', ')) : t('keys.trusted.noUserId')}</Text>
                        <Group gap={4}>
                          {s.label ? <Badge variant="light">{shownTrustLabel(s.label, s.role, t)}</Badge> : null}
                          {roleText(s) === null ? null : s.role === 'station' ? (
                            <Badge variant="outline">{t('keys.role.station')}</Badge>
                          ) : (
                            <Badge variant="outline" translate="no">
                              {displayText(roleText(s) ?? '')}
                            </Badge>
                          )}
                          {s.revokedAt ? (
                            <StatusBadge tone="fail">{t('keyActions.revoked')}</StatusBadge>
                          ) : s.retiredAt ? (
                            <Badge color="gray" variant="light">
                              {t('keyActions.retired')}
                            </Badge>
                          ) : null}
                        </Group>
                        {s.refusal && !s.revokedAt ? <KeyRefusalNote refusal={s.refusal} /> : null}
                        {s.warning && !s.refusal && !s.revokedAt ? <KeyWarningNote warning={s.warning} /> : null}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Fingerprint value={s.fingerprint} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{displayText(f.utcTime(s.addedAt))}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => void exportPublic(s)}
                          aria-label={t('keyActions.exportSignerLabel', { name: displayText(s.userIds.join(', ')) })}
                        >
                          {t('keyActions.exportSigner')}
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          onClick={() => setUntrusting(s)}
                          aria-label={t('keys.untrust.label', { name: displayText(s.userIds.join(', ')) })}
                        >
                          {t('keys.untrust.button')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>

      <Stack gap="sm">
        <Title order={3}>{t('keys.trust.title')}</Title>
        <TrustKeyWizard
          onTrusted={(message) => {
            setNotice(message);
            void refresh();
          }}
        />
      </Stack>

      <Stack gap="sm">
        <Title order={3}>{t('keyActions.revoke.title')}</Title>
        <RevocationImport
          onRevoked={(signer) => {
            setNotice(t('keyActions.revoke.done', { name: displayText(signer.userIds.join(', ')) }));
            void refresh();
          }}
        />
      </Stack>

      <RotateKeyDialog
        opened={rotating}
        onClose={() => setRotating(false)}
        onRotated={(result) => {
          setNotice(null);
          setRotated(result);
          void refresh();
        }}
      />
      <BackupKeyDialog
        opened={backingUp}
        onClose={() => setBackingUp(false)}
        onWritten={(path) => setNotice(t('keyActions.backup.done', { path: displayText(path) }))}
      />

      <Modal
        opened={untrusting !== null}
        onClose={() => setUntrusting(null)}
        title={t('keys.untrust.title')}
        centered
        closeButtonProps={{ 'aria-label': t('common.dismiss') }}
      >
        {untrusting ? (
          <Stack>
            <Text size="sm">
              <Msg id="keys.untrust.text" values={{ name: displayText(untrusting.userIds.join(', ')), b: (chunks) => <b>{chunks}</b> }} />
              {untrusting.role === 'station' && !untrusting.retiredAt ? ` ${t('keys.untrust.own')}` : ''}
            </Text>
            <Fingerprint value={untrusting.fingerprint} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setUntrusting(null)}>
                {t('keys.untrust.keep')}
              </Button>
              <Button color="red" onClick={() => void untrust()}>
                {t('keys.untrust.stop')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Stack>
  );
}
