/**
 * `quarantine purge --all-released` in the Quarantine view: the kept copies of every released
 * bundle deleted at once, after a second click that says how many and what stays (the audit
 * record; the released files at their destination). Main purges exactly the count shown, by id:
 * a bundle released in between makes it refuse, and nothing held is ever in the set.
 */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { IpcError } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useT } from '../../i18n/useT.js';

export function PurgeReleasedForm({ count, onPurged }: { count: number; onPurged: (purged: number) => void }) {
  const api = useApi();
  const t = useT();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  if (!asking) {
    return (
      <Group>
        <Button variant="subtle" color="red" onClick={() => setAsking(true)}>
          {t('quarantine.purgeReleased.open', { count })}
        </Button>
      </Group>
    );
  }
  const purge = async () => {
    setBusy(true);
    setError(null);
    try {
      const { purged } = await call(api, 'purgeReleasedQuarantine', { expectedCount: count });
      setAsking(false);
      onPurged(purged.length);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Alert color="red" title={t('quarantine.purgeReleased.title', { count })} data-testid="purge-released">
      <Stack gap="sm">
        <Text size="sm">{t('quarantine.purgeReleased.text')}</Text>
        {error ? <ErrorAlert error={error} /> : null}
        <Group>
          <Button color="red" onClick={() => void purge()} loading={busy}>
            {t('quarantine.purgeReleased.confirm', { count })}
          </Button>
          <Button variant="default" onClick={() => setAsking(false)} disabled={busy}>
            {t('quarantine.purgeReleased.keep')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
