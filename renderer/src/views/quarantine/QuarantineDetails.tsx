/**
 * One quarantined bundle: what it is, why it was refused (the report kept with it, inspection
 * section included), who decided what about it so far, and the decisions: release while it is
 * held (recorded, with a reason), and purge (a held bundle, or a released one's kept copy).
 */
import { Alert, Code, List, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError, IpcResponse } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { VerificationReport } from '../../components/VerificationReport.js';
import { useFormat } from '../../i18n/format.js';
import { Msg, useT } from '../../i18n/useT.js';
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
  const t = useT();
  const f = useFormat();
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
      <Alert color="gray" title={t('quarantine.details.purged')} role="status" data-testid="quarantine-purged">
        {t('quarantine.details.purgedText', { name: displayText(purged.name) })}
        {purged.auditEvent !== null ? t('quarantine.details.purgedEvent', { event: purged.auditEvent }) : ''}
      </Alert>
    );
  }
  if (error) return <ErrorAlert error={error} title={t('quarantine.details.readError')} />;
  if (!shown || shown.entry.id !== id) return <Text size="sm">{t('quarantine.details.reading')}</Text>;
  const { entry, report, approvals, releasingTo } = shown;
  const facts: Array<[string, string]> = [
    [t('quarantine.details.id'), displayText(entry.id)],
    [t('quarantine.details.quarantined'), f.utcTime(displayText(entry.quarantinedAt))],
    [t('quarantine.details.bundle'), displayText(entry.bundleName)],
    [t('quarantine.details.tagmanifest'), entry.tagmanifestSha256 === null ? t('quarantine.details.notReadThatFar') : displayText(entry.tagmanifestSha256)],
    [t('quarantine.details.kept'), f.bytes(entry.bytes)],
    [t('quarantine.details.signers'), entry.signers.length === 0 ? t('quarantine.details.noSigners') : entry.signers.map(displayText).join(', ')],
    [t('quarantine.details.refusedFor'), entry.codes.join(', ')],
    [t('quarantine.details.approvals'), t('quarantine.details.approvalsValue', { given: approvals.given, required: approvals.required })],
  ];
  return (
    <Stack gap="md" data-testid="quarantine-details" data-quarantine-id={entry.id} data-status={entry.status}>
      <Title order={3}>{displayText(entry.bundleName)}</Title>
      <QuarantineStatus entry={entry} />
      {releasingTo !== null ? (
        <Alert color="yellow" title={t('quarantine.details.releasing')} role="status">
          <Msg id="quarantine.details.releasingText" values={{ path: displayText(releasingTo), code: (chunks) => <Code>{chunks}</Code> }} />
        </Alert>
      ) : null}
      {entry.status === 'released' && entry.releasedTo !== null ? (
        <Alert color="blue" title={t('quarantine.details.released')} role="status">
          <Msg id="quarantine.details.releasedText" values={{ path: displayText(entry.releasedTo), code: (chunks) => <Code>{chunks}</Code> }} />
        </Alert>
      ) : null}
      <Table withTableBorder variant="vertical" aria-label={t('quarantine.details.table')}>
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
          <Title order={4}>{t('quarantine.details.decisions')}</Title>
          <List size="sm" aria-label={t('quarantine.details.decisions')}>
            {entry.releases.map((r, i) => (
              <List.Item key={`${r.at}-${i}`}>
                {r.fingerprint
                  ? t('quarantine.details.decisionKey', {
                      time: f.utcTime(displayText(r.at)),
                      operator: displayText(r.operator),
                      fingerprint: displayText(r.fingerprint),
                      reason: displayText(r.reason),
                    })
                  : t('quarantine.details.decisionNoKey', {
                      time: f.utcTime(displayText(r.at)),
                      operator: displayText(r.operator),
                      reason: displayText(r.reason),
                    })}
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
      <Title order={3}>{t('quarantine.details.report')}</Title>
      <VerificationReport report={report} context="import" />
    </Stack>
  );
}
