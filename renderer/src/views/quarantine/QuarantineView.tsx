/**
 * The Quarantine view (issue #16.7): the bundles content inspection refused and the station kept.
 * Nothing here reaches a destination unless an operator releases it: on purpose, with a reason,
 * after typing the bundle's name (and with a second operator where the policy says two persons),
 * all of it recorded in the audit log. Purge deletes a kept bundle for good (the record stays).
 */
import { Button, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { IpcError, IpcRequest, IpcResponse } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { plural } from '../../components/plural.js';
import { QuarantineDetails } from './QuarantineDetails.js';
import { QuarantineTable } from './QuarantineTable.js';

type StatusFilter = NonNullable<IpcRequest<'listQuarantine'>['status']>;

export function QuarantineView({ active = true }: { active?: boolean }) {
  const api = useApi();
  const [filter, setFilter] = useState<StatusFilter>('held');
  const [listing, setListing] = useState<IpcResponse<'listQuarantine'> | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setListing(await call(api, 'listQuarantine', { status: filter }));
      setError(null);
    } catch (e) {
      setError(asIpcError(e));
    }
  }, [api, filter]);
  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  const entries = listing?.entries ?? [];
  return (
    <Stack gap="md">
      <Title order={2}>Quarantine</Title>
      <Text size="sm">
        Bundles content inspection refused. They never reached a destination; each stays here, with its report, until an operator releases or purges it.
      </Text>
      <Group align="flex-end">
        <NativeSelect
          label="Show"
          aria-label="Show quarantined bundles"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value as StatusFilter)}
          data={[
            { value: 'held', label: 'Held' },
            { value: 'released', label: 'Released' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Button variant="default" onClick={() => void load()}>
          Refresh
        </Button>
      </Group>
      {error ? <ErrorAlert error={error} title="The quarantine could not be read" /> : null}
      {listing ? (
        <Text size="sm" aria-live="polite" data-quarantine-count={entries.length}>
          {entries.length === 0
            ? filter === 'held'
              ? 'Nothing is held in quarantine.'
              : 'No quarantined bundles match.'
            : filter === 'held'
              ? `${plural(entries.length, 'bundle')} held.`
              : `${plural(entries.length, 'bundle')} (${filter === 'all' ? 'any status' : filter}).`}
        </Text>
      ) : null}
      {entries.length > 0 ? <QuarantineTable entries={entries} selected={selected} onOpen={setSelected} /> : null}
      {selected !== null ? <QuarantineDetails id={selected} onChanged={() => void load()} /> : null}
    </Stack>
  );
}
