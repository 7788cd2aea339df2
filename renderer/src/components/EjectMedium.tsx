/**
 * Eject after a medium was proven good: flush, unmount and (where the OS can) power off, then
 * say exactly what was done. Shown only by results that verified; a folder declared as a medium
 * in config.json is not a device, so it gets a sentence instead of a button.
 */
import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError, IpcResponse, MediaVolumeView } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from './ErrorAlert.js';
import { useT } from '../i18n/useT.js';
import { mediumName } from './media.js';

export function EjectMedium({ medium }: { medium: MediaVolumeView }) {
  const api = useApi();
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<IpcResponse<'ejectMedium'> | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const name = mediumName(medium);

  if (!medium.removable) {
    return (
      <Text size="sm" c="dimmed">
        {t('eject.folder', { name })}
      </Text>
    );
  }
  if (done) {
    return (
      <Alert color="green" title={done.unmounted ? t('eject.removable', { name }) : t('eject.flushed', { name })} role="status">
        <List size="sm">
          {done.actions.map((a, i) => (
            <List.Item key={i}>{displayText(a)}</List.Item>
          ))}
        </List>
      </Alert>
    );
  }
  const eject = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone(await call(api, 'ejectMedium', { mediumId: medium.id }));
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Button variant="default" onClick={() => void eject()} loading={busy} disabled={busy} maw={320}>
        {t('eject.button', { name })}
      </Button>
      {error ? <ErrorAlert error={error} title={t('eject.failed')} /> : null}
    </Stack>
  );
}
