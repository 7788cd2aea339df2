/**
 * The audit log: the station's tamper-evident record of every export, verification, import,
 * key and settings change. Filters (type, outcome, dates, free text), pages of 50 newest first,
 * the hash chain's verification in words (a job with progress) and a checkpoint signed on demand, and an export of the whole log to CSV or JSON for the
 * security officer. Everything shown comes from the station's log through window.airlock; every
 * string from it passes displayText (names in bundles and key user IDs are hostile).
 */
import { Alert, Button, Code, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { AUDIT_EVENT_TYPES, AUDIT_OUTCOMES, type AuditEventType, type AuditOutcome } from '../../../shared/audit-types.js';
import { displayText } from '../../../shared/display-text.js';
import type { AuditEventView, IpcError, IpcRequest, IpcResponse } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import type { MessageId } from '../i18n/en.js';
import { useFormat } from '../i18n/format.js';
import { useT, type Translate } from '../i18n/useT.js';
import { StatusBadge, type StatusTone } from '../components/StatusIcon.js';
import { AuditChainPanel } from './AuditChainPanel.js';

export const AUDIT_PAGE_SIZE = 50;

/** Every event type's label in the catalogue; typed over the list so a new type does not compile without one. */
export const AUDIT_TYPE_LABELS: { readonly [T in AuditEventType]: MessageId } = Object.fromEntries(
  AUDIT_EVENT_TYPES.map((type) => [type, `audit.type.${type}` satisfies MessageId]),
) as { readonly [T in AuditEventType]: MessageId };

const OUTCOME_TONES: { readonly [O in AuditOutcome]: StatusTone } = { ok: 'pass', rejected: 'fail', failed: 'warn', cancelled: 'neutral' };

const isKnown = <K extends string>(table: Readonly<Record<K, unknown>>, key: string): key is K => Object.hasOwn(table, key);

function typeLabel(t: Translate, type: string): string {
  return isKnown(AUDIT_TYPE_LABELS, type) ? t(AUDIT_TYPE_LABELS[type]) : displayText(type);
}

function OutcomeBadge({ outcome }: { outcome: string }) {
  const t = useT();
  const known = isKnown(OUTCOME_TONES, outcome);
  return <StatusBadge tone={known ? OUTCOME_TONES[outcome] : 'neutral'}>{known ? t(`audit.outcome.${outcome}`) : displayText(outcome)}</StatusBadge>;
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
  const t = useT();
  const f = useFormat();
  const codes = [...event.problemCodes, ...(event.errorCode ? [event.errorCode] : [])];
  const facts = [
    event.bundleName ? t('audit.fact.bundle', { name: displayText(event.bundleName) }) : null,
    event.files !== null ? t('count.files', { count: event.files }) : null,
    event.bytes !== null ? f.bytes(event.bytes) : null,
    event.signers.length > 0 ? t('audit.fact.signedBy', { count: event.signers.length }) : null,
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
      {/* The message recorded in the log, as core wrote it (English): the record, not a translation. */}
      {event.message ? (
        <Text size="xs" style={{ overflowWrap: 'anywhere' }} lang="en">
          {displayText(event.message)}
        </Text>
      ) : null}
    </Stack>
  );
}

export function AuditView({ active = true }: { active?: boolean }) {
  const api = useApi();
  const t = useT();
  const f = useFormat();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  /** Cursors of the pages before this one: [null] on the first page. */
  const [cursors, setCursors] = useState<Array<number | null>>([null]);
  const [page, setPage] = useState<IpcResponse<'listAudit'> | null>(null);
  const [exported, setExported] = useState<IpcResponse<'exportAudit'> | null>(null);
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

  // Hidden sections stay mounted: load when shown, so the list includes what just happened.
  useEffect(() => {
    if (active) void load();
  }, [active, load]);

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
      setExported(result);
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
      <Title order={2}>{t('audit.title')}</Title>
      <Text size="sm">{t('audit.intro')}</Text>

      {/* The chain's check (a job, with progress and Cancel) and a checkpoint signed now: AuditChainPanel.tsx. */}
      <AuditChainPanel active={active} />

      {error ? <ErrorAlert error={error} /> : null}

      <form onSubmit={submit} aria-label={t('audit.filters')}>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <NativeSelect
            label={t('audit.filter.type')}
            value={draft.type}
            onChange={(e) => apply({ ...draft, type: e.currentTarget.value })}
            data={[{ value: '', label: t('audit.filter.allTypes') }, ...AUDIT_EVENT_TYPES.map((type) => ({ value: type, label: t(AUDIT_TYPE_LABELS[type]) }))]}
          />
          <NativeSelect
            label={t('audit.filter.outcome')}
            value={draft.outcome}
            onChange={(e) => apply({ ...draft, outcome: e.currentTarget.value })}
            data={[{ value: '', label: t('audit.filter.allOutcomes') }, ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))]}
          />
          <TextInput type="date" label={t('audit.filter.from')} value={draft.from} onChange={(e) => apply({ ...draft, from: e.currentTarget.value })} />
          <TextInput type="date" label={t('audit.filter.to')} value={draft.to} onChange={(e) => apply({ ...draft, to: e.currentTarget.value })} />
          <TextInput
            type="search"
            label={t('audit.filter.search')}
            description={t('audit.filter.searchHelp')}
            value={draft.text}
            maxLength={200}
            onChange={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
            miw={260}
          />
          <Button type="submit">{t('audit.filter.search')}</Button>
          <Button variant="default" onClick={() => apply(NO_FILTERS)} disabled={!filtered && draft.text === ''}>
            {t('audit.filter.clear')}
          </Button>
        </Group>
      </form>

      {page === null ? null : events.length === 0 ? (
        <Text size="sm" role="status">
          {filtered ? t('audit.noMatch') : cursors.length > 1 ? t('audit.noOlder') : t('audit.chain.empty')}
        </Text>
      ) : (
        // Narrow windows (200% zoom) scroll the table sideways in its own box, which Tab can reach (for the arrow keys).
        <Table.ScrollContainer minWidth={640} type="native" tabIndex={0} role="region" aria-label={t('audit.table')}>
          <Table withTableBorder striped aria-label={t('audit.table')} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">#</Table.Th>
                <Table.Th scope="col">{t('audit.col.time')}</Table.Th>
                <Table.Th scope="col">{t('audit.col.event')}</Table.Th>
                <Table.Th scope="col" style={{ minWidth: 130 }}>
                  {t('audit.col.outcome')}
                </Table.Th>
                <Table.Th scope="col">{t('audit.col.operator')}</Table.Th>
                <Table.Th scope="col">{t('audit.col.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((e) => (
                <Table.Tr key={e.seq} data-seq={e.seq}>
                  <Table.Td>{e.seq}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }} data-time={e.at}>
                    {f.utcTime(e.at)}
                  </Table.Td>
                  <Table.Td>{typeLabel(t, e.type)}</Table.Td>
                  <Table.Td>
                    <OutcomeBadge outcome={e.outcome} />
                  </Table.Td>
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
          {first && last ? t('audit.page', { page: cursors.length, first: first.seq, last: last.seq }) : ''}
        </Text>
        <Group gap="xs">
          <Button variant="default" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('audit.newer')}
          </Button>
          <Button variant="default" disabled={!page?.hasMore || !last} onClick={() => last && setCursors([...cursors, last.seq])}>
            {t('audit.older')}
          </Button>
        </Group>
      </Group>

      <Stack gap="xs">
        <Title order={3}>{t('audit.export.title')}</Title>
        <Text size="sm">{t('audit.export.text')}</Text>
        <Group>
          <Button onClick={() => void exportLog('csv')} loading={exporting === 'csv'} disabled={exporting !== null}>
            {t('audit.export.csv')}
          </Button>
          <Button variant="default" onClick={() => void exportLog('json')} loading={exporting === 'json'} disabled={exporting !== null}>
            {t('audit.export.json')}
          </Button>
        </Group>
        {exported ? (
          <Alert
            color={exported.path !== null ? 'green' : 'gray'}
            role="status"
            withCloseButton
            onClose={() => setExported(null)}
            closeButtonLabel={t('common.dismiss')}
          >
            {exported.path === null
              ? t('audit.exportCancelled')
              : t('audit.exported', { events: exported.events, checkpoints: exported.checkpoints, path: displayText(exported.path) })}
          </Alert>
        ) : null}
      </Stack>
    </Stack>
  );
}
