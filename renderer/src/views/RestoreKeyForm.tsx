/** `keys restore` in the app: a backup chosen in main's open dialog, unlocked with its passphrase, into a station without a key. */
import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError, KeyDescriptionView } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useT } from '../i18n/useT.js';

export function RestoreKeyForm({ onRestored }: { onRestored: (key: KeyDescriptionView) => void }) {
  const api = useApi();
  const t = useT();
  const [file, setFile] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = async () => {
    setError(null);
    try {
      const [path] = (await call(api, 'chooseFile', { purpose: 'key-backup' })).paths;
      if (path !== undefined) setFile(path);
    } catch (e) {
      setError(asIpcError(e));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (file === null || passphrase === '' || busy) return;
    setBusy(true);
    setError(null);
    try {
      const key = await call(api, 'restoreKey', { file, passphrase });
      setPassphrase('');
      setFile(null);
      onRestored(key);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('keyActions.restore.form')}>
      <Stack maw={480}>
        <Group>
          <Button variant="default" onClick={() => void choose()}>
            {file === null ? t('keyActions.restore.choose') : t('keyActions.restore.another')}
          </Button>
        </Group>
        {file === null ? null : (
          <>
            <Text size="sm">{t('keyActions.restore.file', { file: displayText(file) })}</Text>
            <PasswordInput
              visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
              label={t('keyActions.restore.passphrase')}
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              autoComplete="current-password"
              required
            />
          </>
        )}
        {error ? <ErrorAlert error={error} /> : null}
        {file === null ? null : (
          <Group>
            <Button type="submit" loading={busy} disabled={busy || passphrase === ''}>
              {t('keyActions.restore.submit')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
