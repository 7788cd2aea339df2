/**
 * Staged exports (the two-person rule, docs/cli.md "Two-person exports"): what `export
 * --list-staged` shows — each export an operator prepared and signed, who prepared it, whether a
 * second person has approved it — and the three steps that follow, as the CLI has them: approve
 * (a second operator reviews what is signed and adds their signature), finish (the bundle written
 * onto a removable medium or to a folder with every signature) and discard. An export is prepared
 * in the Export flow. Exports staged elsewhere (`--prepare --staging DIR`) show once their folder is
 * opened through main's dialog (`--list-staged --staging DIR`); the page still names each by name.
 * Main keeps that folder in config.json, so it is listed again after a restart until it is closed;
 * a kept folder that cannot be listed now (a stick taken out) is said so beside the home's list.
 */
import { Alert, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError, IpcResponse, StagedEntryView } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { StatusBadge } from '../../components/StatusIcon.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';
import { ApproveForm } from './ApproveForm.js';
import { DiscardForm } from './DiscardForm.js';
import { FinishForm } from './FinishForm.js';

type Action = { kind: 'approve' | 'finish' | 'discard'; entry: StagedEntryView };

function whoSigned(entry: StagedEntryView, index: number): string | null {
  const signer = entry.signers?.[index];
  return signer ? displayText(signer.userIds.join(', ') || signer.fingerprint) : null;
}

function StateCell({ entry }: { entry: StagedEntryView }) {
  const t = useT();
  // Finished: its bundle is out (a finish cut off after it published); only Discard applies.
  if (entry.state === 'invalid' || entry.state === 'finished') {
    return (
      <Stack gap={2}>
        <StatusBadge tone={entry.state === 'finished' ? 'warn' : 'fail'}>{t(`staged.state.${entry.state}`)}</StatusBadge>
        <Text size="xs" lang="en" style={{ overflowWrap: 'anywhere' }}>
          {displayText(entry.reason ?? '')}
        </Text>
      </Stack>
    );
  }
  const approver = whoSigned(entry, 1);
  return approver !== null ? (
    <Stack gap={2}>
      <StatusBadge tone="pass">{t('staged.state.approved')}</StatusBadge>
      <Text size="xs">{t('staged.approvedBy', { who: approver })}</Text>
    </Stack>
  ) : (
    <StatusBadge tone="warn">{t('staged.state.waiting')}</StatusBadge>
  );
}

export function StagedExportsView({ active = true }: { active?: boolean }) {
  const api = useApi();
  const t = useT();
  const f = useFormat();
  const [staged, setStaged] = useState<StagedEntryView[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [folder, setFolder] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState<IpcResponse<'listStaged'>['folderUnavailable']>(null);

  const show = useCallback((listed: IpcResponse<'listStaged'>) => {
    setStaged(listed.staged);
    setFolder(listed.folder ?? null);
    setUnavailable(listed.folderUnavailable ?? null);
    setError(null);
  }, []);
  const load = useCallback(async () => {
    try {
      show(await call(api, 'listStaged', {}));
    } catch (e) {
      setError(asIpcError(e));
    }
  }, [api, show]);
  const folderAction = async (method: 'openStagingFolder' | 'closeStagingFolder') => {
    try {
      show(await call(api, method, {}));
    } catch (e) {
      setError(asIpcError(e));
    }
  };
  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  const close = () => {
    setAction(null);
    void load();
  };

  return (
    <Stack gap="md">
      <Title order={2}>{t('staged.title')}</Title>
      <Text size="sm">{t('staged.intro')}</Text>
      {unavailable ? (
        <Alert color="yellow" title={t('staged.folderUnavailableTitle')} role="status" data-testid="staging-folder-unavailable">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {t('staged.folderUnavailable', { folder: displayText(unavailable.folder), reason: displayText(unavailable.error.message) })}
          </Text>
        </Alert>
      ) : folder !== null ? (
        <Text size="sm" role="status" style={{ overflowWrap: 'anywhere' }}>
          {t('staged.folderOpen', { folder: displayText(folder) })}
        </Text>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
      {staged === null ? null : staged.length === 0 ? (
        <Text size="sm" role="status">
          {t('staged.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640} type="native" tabIndex={0} role="region" aria-label={t('staged.table')}>
          <Table withTableBorder striped aria-label={t('staged.table')} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('staged.col.name')}</Table.Th>
                <Table.Th scope="col">{t('staged.col.contents')}</Table.Th>
                <Table.Th scope="col">{t('staged.col.preparedBy')}</Table.Th>
                <Table.Th scope="col">{t('staged.col.state')}</Table.Th>
                <Table.Th scope="col">{t('staged.col.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staged.map((entry) => {
                const name = displayText(entry.name);
                return (
                  <Table.Tr key={`${entry.source ?? 'home'}:${entry.name}`} data-staged={entry.name}>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <Text size="sm" fw={600} translate="no">
                        {name}
                      </Text>
                      {entry.source === 'folder' ? <Text size="xs">{t('staged.inFolder')}</Text> : null}
                      {entry.createdAt ? <Text size="xs">{t('staged.preparedAt', { at: f.dateTime(entry.createdAt) })}</Text> : null}
                    </Table.Td>
                    <Table.Td>{entry.files !== null ? `${t('count.files', { count: entry.files })}, ${f.bytes(entry.bytes ?? 0)}` : '—'}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{whoSigned(entry, 0) ?? '—'}</Table.Td>
                    <Table.Td>
                      <StateCell entry={entry} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {entry.state === 'ready' ? (
                          <>
                            <Button
                              size="xs"
                              variant="default"
                              aria-label={t('staged.approveLabel', { name })}
                              onClick={() => setAction({ kind: 'approve', entry })}
                            >
                              {t('staged.approve')}
                            </Button>
                            <Button
                              size="xs"
                              variant="default"
                              aria-label={t('staged.finishLabel', { name })}
                              onClick={() => setAction({ kind: 'finish', entry })}
                            >
                              {t('staged.finish')}
                            </Button>
                          </>
                        ) : null}
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={t('staged.discardLabel', { name })}
                          onClick={() => setAction({ kind: 'discard', entry })}
                        >
                          {t('staged.discard')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group>
        <Button variant="default" onClick={() => void load()}>
          {t('staged.refresh')}
        </Button>
        <Button variant="default" onClick={() => void folderAction('openStagingFolder')} title={t('staged.openFolderHelp')}>
          {t('staged.openFolder')}
        </Button>
        {folder !== null ? (
          <Button variant="subtle" onClick={() => void folderAction('closeStagingFolder')}>
            {t('staged.closeFolder')}
          </Button>
        ) : null}
      </Group>
      <Text size="xs" c="dimmed">
        {t('staged.openFolderHelp')}
      </Text>
      {action?.kind === 'approve' ? (
        <ApproveForm key={`${action.entry.source ?? 'home'}:${action.entry.name}`} name={action.entry.name} source={action.entry.source} onClose={close} />
      ) : null}
      {action?.kind === 'finish' ? <FinishForm key={`${action.entry.source ?? 'home'}:${action.entry.name}`} entry={action.entry} onClose={close} /> : null}
      {action?.kind === 'discard' ? (
        <DiscardForm key={`${action.entry.source ?? 'home'}:${action.entry.name}`} name={action.entry.name} source={action.entry.source} onClose={close} />
      ) : null}
    </Stack>
  );
}
