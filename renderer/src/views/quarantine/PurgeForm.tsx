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

export function PurgeForm({ entry, onPurged }: { entry: QuarantineEntry; onPurged: (auditEvent: number | null) => void }) {
  const api = useApi();
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
    <Fieldset legend="Purge" data-testid="purge-form">
      <Stack gap="sm">
        <Text size="sm">
          {entry.status === 'held'
            ? 'Deletes the kept bundle and its report from this station for good: it can then never be released. The audit log keeps the record of it.'
            : 'Deletes the copy the quarantine kept of this released bundle (the imported files stay where they are). The audit log keeps the record.'}
        </Text>
        <TextInput
          label="Type the bundle's name to confirm the purge"
          description={
            <>
              Type <Code>{displayText(entry.bundleName)}</Code> exactly as shown.
            </>
          }
          autoComplete="off"
          spellCheck={false}
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
        />
        {error ? <ErrorAlert error={error} title="Not purged" /> : null}
        <Group>
          <Button color="red" variant="outline" onClick={() => void purge()} disabled={!confirmed || busy} loading={busy}>
            Purge for good
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
