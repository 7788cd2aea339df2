/**
 * Purging a quarantined bundle: its files are deleted from the station for good (the audit log
 * keeps the record that it was held and purged). The operator types the bundle's name first;
 * main checks it again.
 */
import { Button, Code, Fieldset, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { QuarantineEntry } from '../../../../shared/inspection.js';
import type { IpcError } from '../../../../shared/ipc.js';
import { confirmsBundleName } from '../../../../shared/quarantine-confirm.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Msg, useT } from '../../i18n/useT.js';

export function PurgeForm({ entry, onPurged }: { entry: QuarantineEntry; onPurged: (auditEvent: number | null) => void }) {
  const api = useApi();
  const t = useT();
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const confirmed = confirmsBundleName(confirm, entry.bundleName);
  const purge = async () => {
    if (!confirmed) return;
    setBusy(true);
    setError(null);
    try {
      const { auditEvent } = await call(api, 'purgeQuarantine', { id: entry.id, confirmName: confirm.trim() });
      onPurged(auditEvent);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Fieldset legend={t('quarantine.purge.legend')} data-testid="purge-form">
      <Stack gap="sm">
        <Text size="sm">{entry.status === 'held' ? t('quarantine.purge.held') : t('quarantine.purge.released')}</Text>
        <TextInput
          label={t('quarantine.purge.confirmLabel')}
          description={<Msg id="quarantine.confirm.description" values={{ name: displayText(entry.bundleName), code: (chunks) => <Code>{chunks}</Code> }} />}
          autoComplete="off"
          spellCheck={false}
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
        />
        {error ? <ErrorAlert error={error} title={t('quarantine.purge.failed')} /> : null}
        <Group>
          <Button color="red" variant="outline" onClick={() => void purge()} disabled={!confirmed || busy} loading={busy}>
            {t('quarantine.purge.button')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
