/**
 * The audit log: the station's tamper-evident record of every export, verification, import,
 * key and settings change. Filters (type, outcome, dates, free text), pages of 50 newest first,
 * the hash chain's verification in words, and an export of the whole log to CSV or JSON for the
 * security officer. Everything shown comes from the station's log through window.airlock; every
 * string from it passes displayText (names in bundles and key user IDs are hostile).
 */
import { Alert, Button, Code, Group, List, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { AUDIT_EVENT_TYPES, AUDIT_OUTCOMES, type AuditEventType, type AuditOutcome } from '../../../shared/audit-types.js';
import { displayText } from '../../../shared/display-text.js';
import { formatBytes } from '../../../shared/format.js';
import type { AuditEventView, AuditVerifyReport, IpcError, IpcRequest, IpcResponse } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { plural } from '../components/plural.js';
import { StatusBadge, type StatusTone } from '../components/StatusIcon.js';

export const AUDIT_PAGE_SIZE = 50;

/** Every event type in words; typed over the list so a new type does not compile without one. */
export const AUDIT_TYPE_LABELS: { readonly [T in AuditEventType]: string } = {
  export: 'Export',
  verify: 'Verify',
  import: 'Import',
  'export-prepare': 'Export prepared (two-person)',
  'export-approve': 'Export approved (two-person)',
  'export-discard': 'Staged export discarded',
  'key-generate': 'Station key created',
  'key-trust': 'Key trusted',
  'key-untrust': 'Key untrusted',
  'key-revoke': 'Key revoked',
  'key-backup': 'Station key backed up',
  'media-write': 'Written to media',
  'media-readback': 'Media read back',
  'settings-change': 'Settings changed',
  'quarantine-release': 'Released from quarantine',
  'quarantine-purge': 'Quarantine purged',
  'feed-import': 'Scanner database updated',
  heartbeat: 'Channel heartbeat',
  'channel-alarm': 'Channel heartbeat missing',
  'watch-start': 'Inbox watcher started',
  'watch-stop': 'Inbox watcher stopped',
};

const OUTCOME_LABELS: { readonly [O in AuditOutcome]: { label: string; tone: StatusTone } } = {
  ok: { label: 'OK', tone: 'pass' },
  rejected: { label: 'Rejected', tone: 'fail' },
  failed: { label: 'Failed', tone: 'warn' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

function typeLabel(type: string): string {
  return (AUDIT_TYPE_LABELS as Readonly<Record<string, string>>)[type] ?? displayText(type);
}

function outcomeBadge(outcome: string) {
  const known = (OUTCOME_LABELS as Readonly<Record<string, { label: string; tone: StatusTone }>>)[outcome];
  return <StatusBadge tone={known?.tone ?? 'neutral'}>{known?.label ?? displayText(outcome)}</StatusBadge>;
}

/** "2026-11-28 10:00:05 UTC": unambiguous on a station whatever its locale. */
function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return displayText(iso);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A date input's YYYY-MM-DD as the start of that day, local time, in ISO form; `nextDay` for an inclusive end. */
function dayStart(value: string, nextDay = false): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(value);
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + (nextDay ? 1 : 0));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

interface Filters {
  type: string;
  outcome: string;
  from: string;
  to: string;
  text: string;
}
const NO_FILTERS: Filters = { type: '', outcome: '', from: '', to: '', text: '' };

function request(filters: Filters, beforeSeq: number | null): IpcRequest<'listAudit'> {
  const since = dayStart(filters.from);
  const until = dayStart(filters.to, true);
  return {
    limit: AUDIT_PAGE_SIZE,
    type: filters.type ? (filters.type as AuditEventType) : undefined,
    outcome: filters.outcome ? (filters.outcome as AuditOutcome) : undefined,
    since: since || undefined,
    until: until || undefined,
    text: filters.text.trim() || undefined,
    beforeSeq: beforeSeq ?? undefined,
  };
}

function EventDetails({ event }: { event: AuditEventView }) {
  const codes = [...event.problemCodes, ...(event.errorCode ? [event.errorCode] : [])];
  const facts = [
    event.bundleName ? `bundle ${displayText(event.bundleName)}` : null,
    event.files !== null ? plural(event.files, 'file') : null,
    event.bytes !== null ? formatBytes(event.bytes) : null,
    event.signers.length > 0 ? `signed by ${plural(event.signers.length, 'key')}` : null,
  ].filter((x): x is string => x !== null);
  return (
    <Stack gap={2}>
      {event.subject ? (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {displayText(event.subject)}
        </Text>
      ) : null}
      {facts.length > 0 ? (
        <Text size="xs" c="dimmed">
          {facts.join(' · ')}
        </Text>
      ) : null}
      {codes.length > 0 ? (
        <Group gap={4}>
          {codes.map((code, i) => (
            <Code key={`${code}-${i}`}>{displayText(code)}</Code>
          ))}
        </Group>
      ) : null}
      {event.message ? (
        <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
          {displayText(event.message)}
        </Text>
      ) : null}
    </Stack>
  );
}

function ChainStatus({ report }: { report: AuditVerifyReport }) {
  if (report.ok) {
    const covered = report.lastCheckpointSeq !== null ? `; the latest covers event #${report.lastCheckpointSeq}` : '';
    return (
      <Alert color="green" title="Chain intact" role="status">
        <Text size="sm">
          {report.events === 0
            ? 'The log is empty: nothing has been recorded yet.'
            : `All ${plural(report.events, 'event')} are linked to the one before and unchanged since they were recorded. ${plural(report.checkpoints, 'signed checkpoint')}${covered}.`}
        </Text>
        <ChainNotes notes={report.notes} />
      </Alert>
    );
  }
  return (
    <Alert color="red" title={`Chain broken at event #${report.firstBroken?.seq ?? '?'}`} role="alert">
      <Text size="sm">{displayText(report.firstBroken?.reason ?? 'The log failed verification.')}</Text>
      <Text size="sm" mt={4}>
        <Text span fw={600}>
          Next:{' '}
        </Text>
        Do not rely on events from #{report.firstBroken?.seq ?? '?'} on. Stop transfers on this station and tell your security officer; do not try to repair the
        log. Copy the station&apos;s data folder to read-only media and export the log (operator guide, section 8).
      </Text>
      <ChainNotes notes={report.notes} />
    </Alert>
  );
}

export function AuditView({ active = true }: { active?: boolean }) {
  const api = useApi();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  /** Cursors of the pages before this one: [null] on the first page. */
  const [cursors, setCursors] = useState<Array<number | null>>([null]);
  const [page, setPage] = useState<IpcResponse<'listAudit'> | null>(null);
  const [chain, setChain] = useState<AuditVerifyReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [exported, setExported] = useState<{ message: string; written: boolean } | null>(null);
  const [exporting, setExporting] = useState<'csv' | 'json' | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const latest = useRef(0);

  const cursor = cursors[cursors.length - 1] ?? null;

  const load = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const answer = await call(api, 'listAudit', request(filters, cursor));
      if (ticket === latest.current) {
        setPage(answer);
        setError(null);
      }
    } catch (e) {
      if (ticket === latest.current) setError(asIpcError(e));
    }
  }, [api, filters, cursor]);

  const verify = useCallback(async () => {
    setVerifying(true);
    try {
      setChain(await call(api, 'verifyAudit', {}));
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setVerifying(false);
    }
  }, [api]);

  // Hidden sections stay mounted: load when shown, so the list includes what just happened.
  useEffect(() => {
    if (active) void load();
  }, [active, load]);
  useEffect(() => {
    if (active) void verify();
  }, [active, verify]);

  const apply = (next: Filters) => {
    setDraft(next);
    setFilters(next);
    setCursors([null]);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const exportLog = async (format: 'csv' | 'json') => {
    setExporting(format);
    setExported(null);
    try {
      const result = await call(api, 'exportAudit', { format });
      setExported(
        result.path === null
          ? { message: 'Export cancelled: nothing was written.', written: false }
          : {
              message: `Exported ${plural(result.events, 'event')} and ${plural(result.checkpoints, 'signed checkpoint')} to ${displayText(result.path)}.`,
              written: true,
            },
      );
      setError(null);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setExporting(null);
    }
  };

  const events = page?.events ?? [];
  const filtered = filters.type !== '' || filters.outcome !== '' || filters.from !== '' || filters.to !== '' || filters.text.trim() !== '';
  const first = events[0];
  const last = events[events.length - 1];

  return (
    <Stack gap="lg">
      <Title order={2}>Audit log</Title>
      <Text size="sm">
        Every export, verification, import, key change and settings change on this station, newest first. Each event is chained to the one before by its hash,
        so an edited, deleted or inserted event shows below.
      </Text>

      <Stack gap="xs">
        {chain ? <ChainStatus report={chain} /> : null}
        <Group>
          <Button variant="default" onClick={() => void verify()} loading={verifying}>
            Verify chain again
          </Button>
        </Group>
      </Stack>

      {error ? <ErrorAlert error={error} /> : null}

      <form onSubmit={submit} aria-label="Audit filters">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <NativeSelect
            label="Type"
            value={draft.type}
            onChange={(e) => apply({ ...draft, type: e.currentTarget.value })}
            data={[{ value: '', label: 'All types' }, ...AUDIT_EVENT_TYPES.map((t) => ({ value: t, label: AUDIT_TYPE_LABELS[t] }))]}
          />
          <NativeSelect
            label="Outcome"
            value={draft.outcome}
            onChange={(e) => apply({ ...draft, outcome: e.currentTarget.value })}
            data={[{ value: '', label: 'All outcomes' }, ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o].label }))]}
          />
          <TextInput type="date" label="From (day)" value={draft.from} onChange={(e) => apply({ ...draft, from: e.currentTarget.value })} />
          <TextInput type="date" label="To (day, inclusive)" value={draft.to} onChange={(e) => apply({ ...draft, to: e.currentTarget.value })} />
          <TextInput
            type="search"
            label="Search"
            description="Subject, operator, bundle, fingerprint, problem code"
            value={draft.text}
            maxLength={200}
            onChange={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
            miw={260}
          />
          <Button type="submit">Search</Button>
          <Button variant="default" onClick={() => apply(NO_FILTERS)} disabled={!filtered && draft.text === ''}>
            Clear filters
          </Button>
        </Group>
      </form>

      {page === null ? null : events.length === 0 ? (
        <Text size="sm" role="status">
          {filtered ? 'No events match these filters.' : cursors.length > 1 ? 'No older events.' : 'The log is empty: nothing has been recorded yet.'}
        </Text>
      ) : (
        // Narrow windows (200% zoom) scroll the table sideways in its own box, which Tab can reach (for the arrow keys).
        <Table.ScrollContainer minWidth={640} type="native" tabIndex={0} role="region" aria-label="Audit events table">
          <Table withTableBorder striped aria-label="Audit events" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">#</Table.Th>
                <Table.Th scope="col">Time</Table.Th>
                <Table.Th scope="col">Event</Table.Th>
                <Table.Th scope="col" style={{ minWidth: 130 }}>
                  Outcome
                </Table.Th>
                <Table.Th scope="col">Operator</Table.Th>
                <Table.Th scope="col">Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((e) => (
                <Table.Tr key={e.seq} data-seq={e.seq}>
                  <Table.Td>{e.seq}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(e.at)}</Table.Td>
                  <Table.Td>{typeLabel(e.type)}</Table.Td>
                  <Table.Td>{outcomeBadge(e.outcome)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{displayText(e.operator)}</Table.Td>
                  <Table.Td>
                    <EventDetails event={e} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Group justify="space-between">
        <Text size="sm" aria-live="polite">
          {first && last ? `Page ${cursors.length}: events #${first.seq} to #${last.seq}` : ''}
        </Text>
        <Group gap="xs">
          <Button variant="default" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer events
          </Button>
          <Button variant="default" disabled={!page?.hasMore || !last} onClick={() => last && setCursors([...cursors, last.seq])}>
            Older events
          </Button>
        </Group>
      </Group>

      <Stack gap="xs">
        <Title order={3}>Export the log</Title>
        <Text size="sm">
          The export holds the whole log, whatever the filters show: every event with its hash, the per-file rows and the signed checkpoints, so it can be
          checked elsewhere. CSV opens in a spreadsheet; JSON is for scripts.
        </Text>
        <Group>
          <Button onClick={() => void exportLog('csv')} loading={exporting === 'csv'} disabled={exporting !== null}>
            Export CSV…
          </Button>
          <Button variant="default" onClick={() => void exportLog('json')} loading={exporting === 'json'} disabled={exporting !== null}>
            Export JSON…
          </Button>
        </Group>
        {exported ? (
          <Alert color={exported.written ? 'green' : 'gray'} role="status" withCloseButton onClose={() => setExported(null)} closeButtonLabel="Dismiss">
            {exported.message}
          </Alert>
        ) : null}
      </Stack>
    </Stack>
  );
}

/** What the verifier adds beyond intact or broken (events not yet under a checkpoint, ...). */
function ChainNotes({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <List size="sm" mt={4}>
      {notes.map((note) => (
        <List.Item key={note}>{displayText(note)}</List.Item>
      ))}
    </List>
  );
}
