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
import type { MessageId } from '../../i18n/en.js';
import { useT } from '../../i18n/useT.js';
import { PurgeReleasedForm } from './PurgeReleasedForm.js';
import { QuarantineDetails } from './QuarantineDetails.js';
import { QuarantineTable } from './QuarantineTable.js';

type StatusFilter = NonNullable<IpcRequest<'listQuarantine'>['status']>;

const COUNT_TEXT: Record<StatusFilter, MessageId> = {
  held: 'quarantine.count.held',
  released: 'quarantine.count.released',
  all: 'quarantine.count.all',
};

export function QuarantineView({ active = true }: { active?: boolean }) {
  const api = useApi();
  const t = useT();
  const [filter, setFilter] = useState<StatusFilter>('held');
  const [listing, setListing] = useState<IpcResponse<'listQuarantine'> | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  // What the last purge of every released bundle deleted, said until the filter changes.
  const [purgedCount, setPurgedCount] = useState<number | null>(null);

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
      <Title order={2}>{t('quarantine.title')}</Title>
      <Text size="sm">{t('quarantine.intro')}</Text>
      <Group align="flex-end">
        <NativeSelect
          label={t('quarantine.filter.label')}
          aria-label={t('quarantine.filter.aria')}
          value={filter}
          onChange={(e) => {
            setFilter(e.currentTarget.value as StatusFilter);
            setPurgedCount(null);
          }}
          data={[
            { value: 'held', label: t('quarantine.filter.held') },
            { value: 'released', label: t('quarantine.filter.released') },
            { value: 'all', label: t('quarantine.filter.all') },
          ]}
        />
        <Button variant="default" onClick={() => void load()}>
          {t('quarantine.refresh')}
        </Button>
      </Group>
      {error ? <ErrorAlert error={error} title={t('quarantine.readError')} /> : null}
      {listing ? (
        <Text size="sm" aria-live="polite" data-quarantine-count={entries.length}>
          {entries.length === 0
            ? filter === 'held'
              ? t('quarantine.count.noneHeld')
              : t('quarantine.count.noneMatch')
            : t(COUNT_TEXT[filter], { count: entries.length })}
        </Text>
      ) : null}
      {purgedCount !== null ? (
        <Text size="sm" role="status">
          {t('quarantine.purgeReleased.done', { count: purgedCount })}
        </Text>
      ) : null}
      {entries.length > 0 ? <QuarantineTable entries={entries} selected={selected} onOpen={setSelected} /> : null}
      {filter === 'released' && entries.length > 0 ? (
        <PurgeReleasedForm
          key={entries.length}
          count={entries.length}
          onPurged={(n) => {
            setPurgedCount(n);
            setSelected(null);
            void load();
          }}
        />
      ) : null}
      {selected !== null ? <QuarantineDetails id={selected} onChanged={() => void load()} /> : null}
    </Stack>
  );
}
