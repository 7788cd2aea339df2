/**
 * `keys revoke-import` in the app: a revocation certificate chosen in main's open dialog, shown,
 * then applied on a second click (it cannot be undone, so choosing the file is not enough).
 */
import { Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError, TrustedSignerView } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useT } from '../i18n/useT.js';

export function RevocationImport({ onRevoked }: { onRevoked: (signer: TrustedSignerView) => void }) {
  const api = useApi();
  const t = useT();
  const [file, setFile] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = async () => {
    setError(null);
    try {
      const [path] = (await call(api, 'chooseFile', { purpose: 'revocation' })).paths;
      if (path !== undefined) setFile(path);
    } catch (e) {
      setError(asIpcError(e));
    }
  };

  const apply = async () => {
    if (file === null || busy) return;
    setBusy(true);
    setError(null);
    try {
      const revoked = await call(api, 'importRevocation', { file });
      setFile(null);
      onRevoked(revoked);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={640}>
      <Text size="sm" c="dimmed">
        {t('keyActions.revoke.intro')}
      </Text>
      <Group>
        <Button variant="default" onClick={() => void choose()}>
          {file === null ? t('keyActions.revoke.choose') : t('keyActions.revoke.another')}
        </Button>
      </Group>
      {file === null ? null : (
        <>
          <Text size="sm">{t('keyActions.revoke.file', { file: displayText(file) })}</Text>
          <Group>
            <Button color="red" loading={busy} disabled={busy} onClick={() => void apply()}>
              {t('keyActions.revoke.submit')}
            </Button>
          </Group>
        </>
      )}
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}
