/**
 * One quarantined bundle: what it is, why it was refused (the report kept with it, inspection
 * section included), who decided what about it so far, and the decisions: release while it is
 * held (recorded, with a reason), and purge (a held bundle, or a released one's kept copy).
 */
import { Alert, Code, List, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import { formatBytes } from '../../../../shared/format.js';
import type { IpcError, IpcResponse } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { VerificationReport } from '../../components/VerificationReport.js';
import { PurgeForm } from './PurgeForm.js';
import { QuarantineStatus } from './QuarantineTable.js';
import { ReleaseForm } from './ReleaseForm.js';

export interface QuarantineDetailsProps {
  id: string;
  /** Something changed (released, approved, purged): the list reloads. */
  onChanged: () => void;
}

export function QuarantineDetails({ id, onChanged }: QuarantineDetailsProps) {
  const api = useApi();
  const [shown, setShown] = useState<IpcResponse<'showQuarantine'> | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  /** Once purged, the entry is gone from the station: what the purge said replaces the details. */
  const [purged, setPurged] = useState<{ name: string; auditEvent: number | null } | null>(null);

  const load = useCallback(async () => {
    try {
      setShown(await call(api, 'showQuarantine', { id }));
      setError(null);
    } catch (e) {
      setError(asIpcError(e));
    }
  }, [api, id]);
  useEffect(() => {
    setShown(null);
    setPurged(null);
    void load();
  }, [load]);
  const changed = useCallback(() => {
    void load();
    onChanged();
  }, [load, onChanged]);

  if (purged) {
    return (
      <Alert color="gray" title="Purged" role="status" data-testid="quarantine-purged">
        {displayText(purged.name)}: the kept bundle and its report were deleted from this station.
        {purged.auditEvent !== null ? ` Recorded in the audit log as event #${purged.auditEvent}.` : ''}
      </Alert>
    );
  }
  if (error) return <ErrorAlert error={error} title="This quarantined bundle could not be read" />;
  if (!shown || shown.entry.id !== id) return <Text size="sm">Reading the quarantined bundle…</Text>;
  const { entry, report, approvals, releasingTo } = shown;
  const facts: Array<[string, string]> = [
    ['Quarantine id', displayText(entry.id)],
    ['Quarantined', displayText(entry.quarantinedAt)],
    ['Bundle', displayText(entry.bundleName)],
    ['Tag manifest SHA-256', entry.tagmanifestSha256 === null ? 'not read that far' : displayText(entry.tagmanifestSha256)],
    ['Kept', formatBytes(entry.bytes)],
    ['Trusted signers proven', entry.signers.length === 0 ? 'none' : entry.signers.map(displayText).join(', ')],
    ['Refused for', entry.codes.join(', ')],
    ['Release approvals', `${approvals.given} of ${approvals.required} given`],
  ];
  return (
    <Stack gap="md" data-testid="quarantine-details" data-quarantine-id={entry.id} data-status={entry.status}>
      <Title order={3}>{displayText(entry.bundleName)}</Title>
      <QuarantineStatus entry={entry} />
      {releasingTo !== null ? (
        <Alert color="yellow" title="A release is under way" role="status">
          Importing to <Code>{displayText(releasingTo)}</Code> (or interrupted: reading it again settles it).
        </Alert>
      ) : null}
      {entry.status === 'released' && entry.releasedTo !== null ? (
        <Alert color="blue" title="Released" role="status">
          Imported to <Code>{displayText(entry.releasedTo)}</Code>.
        </Alert>
      ) : null}
      <Table withTableBorder variant="vertical" aria-label="Quarantined bundle">
        <Table.Tbody>
          {facts.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th w={200}>{k}</Table.Th>
              <Table.Td style={{ wordBreak: 'break-all' }}>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {entry.releases.length > 0 ? (
        <Stack gap={4}>
          <Title order={4}>Release decisions</Title>
          <List size="sm" aria-label="Release decisions">
            {entry.releases.map((r, i) => (
              <List.Item key={`${r.at}-${i}`}>
                {displayText(r.at)}: {displayText(r.operator)}
                {r.fingerprint ? ` (key ${displayText(r.fingerprint)})` : ' (no key)'} — “{displayText(r.reason)}”
              </List.Item>
            ))}
          </List>
        </Stack>
      ) : null}
      {entry.status === 'held' ? (
        <>
          <ReleaseForm entry={entry} approvals={approvals} onFinished={changed} />
        </>
      ) : null}
      <PurgeForm
        entry={entry}
        onPurged={(auditEvent) => {
          setPurged({ name: entry.bundleName, auditEvent });
          onChanged();
        }}
      />
      <Title order={3}>Report kept with it</Title>
      <VerificationReport report={report} context="import" />
    </Stack>
  );
}
