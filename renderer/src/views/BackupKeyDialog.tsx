/**
 * `keys backup` in the app: the passphrase is proved by main before its save dialog asks where;
 * the file is never overwritten (core writes it exclusively, mode 0600).
 */
import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { IpcError } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useT } from '../i18n/useT.js';

export function BackupKeyDialog({ opened, onClose, onWritten }: { opened: boolean; onClose: () => void; onWritten: (path: string) => void }) {
  const api = useApi();
  const t = useT();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setPassphrase('');
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (passphrase === '' || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { path } = await call(api, 'backupKey', { passphrase });
      // Cancelled in the save dialog: the dialog stays, so the operator can choose again.
      if (path === null) return;
      close();
      onWritten(path);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('keyActions.backup.title')} centered closeButtonProps={{ 'aria-label': t('common.dismiss') }}>
      <form onSubmit={(e) => void submit(e)} aria-label={t('keyActions.backup.form')}>
        <Stack>
          <Text size="sm">{t('keyActions.backup.text')}</Text>
          <PasswordInput
            visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
            label={t('keyActions.backup.passphrase')}
            description={t('keyActions.backup.passphraseHelp')}
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            autoComplete="current-password"
            required
            data-autofocus
          />
          {error ? <ErrorAlert error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('keyActions.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={busy || passphrase === ''}>
              {t('keyActions.backup.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
