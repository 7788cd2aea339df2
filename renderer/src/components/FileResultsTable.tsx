/**
 * Every file's outcome, as core listed it: filterable by outcome, sortable, paged. Core lists
 * failed files up to one cap and intact ones up to another and counts the rest; the summary
 * says so, so the operator never mistakes a page of a sample for the whole bundle. Paths are
 * hostile text: every one goes through displayText().
 */
import { Code, Group, NativeSelect, Pagination, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { FileOutcome, FileResult, FileResults } from '../../../shared/results.js';
import { FILE_OUTCOMES } from '../../../shared/results.js';
import { StatusBadge } from './StatusIcon.js';
import type { MessageId } from '../i18n/en.js';
import { useFormat } from '../i18n/format.js';
import { useT } from '../i18n/useT.js';

/** Each outcome's label in the catalogue. */
export const OUTCOME_LABELS: Record<FileOutcome, MessageId> = {
  ok: 'outcome.ok',
  'checksum-mismatch': 'outcome.checksum-mismatch',
  missing: 'outcome.missing',
  unlisted: 'outcome.unlisted',
  'refused-name': 'outcome.refused-name',
  'refused-type': 'outcome.refused-type',
  'refused-limit': 'outcome.refused-limit',
};

export const FILES_PAGE_SIZE = 25;

type Filter = 'all' | 'failed' | FileOutcome;
type SortKey = 'order' | 'path' | 'size' | 'outcome';

function compare(a: FileResult, b: FileResult, key: SortKey): number {
  if (key === 'path') return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  if (key === 'size') return (a.size ?? -1) - (b.size ?? -1);
  if (key === 'outcome') return FILE_OUTCOMES.indexOf(a.outcome) - FILE_OUTCOMES.indexOf(b.outcome);
  return 0;
}

function SortHeader({ sortKey, sort, onSort }: { sortKey: Exclude<SortKey, 'order'>; sort: { key: SortKey; dir: 1 | -1 }; onSort: (key: SortKey) => void }) {
  const t = useT();
  const label = t(`files.${sortKey}`);
  const column = t(`files.column.${sortKey}`);
  const active = sort.key === sortKey;
  const ariaSort = active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none';
  return (
    <Table.Th aria-sort={ariaSort}>
      <UnstyledButton
        onClick={() => onSort(sortKey)}
        aria-label={t(active ? (sort.dir === 1 ? 'files.sortedAsc' : 'files.sortedDesc') : 'files.sortBy', { column })}
        fw={600}
        fz="sm"
      >
        {label} {active ? (sort.dir === 1 ? '▲' : '▼') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

export function FileResultsTable({ files }: { files: FileResults }) {
  const t = useT();
  const f = useFormat();
  const failedCount = FILE_OUTCOMES.filter((o) => o !== 'ok').reduce((n, o) => n + files.counts[o], 0);
  const checked = failedCount + files.counts.ok;
  const [filter, setFilter] = useState<Filter>(failedCount > 0 ? 'failed' : 'all');
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'order', dir: 1 });
  const [page, setPage] = useState(1);

  const rows = useMemo(() => {
    const kept = files.listed.filter((r) => (filter === 'all' ? true : filter === 'failed' ? r.outcome !== 'ok' : r.outcome === filter));
    if (sort.key === 'order') return kept;
    return [...kept].sort((a, b) => compare(a, b, sort.key) * sort.dir);
  }, [files.listed, filter, sort]);
  const pages = Math.max(1, Math.ceil(rows.length / FILES_PAGE_SIZE));
  const current = Math.min(page, pages);
  const shown = rows.slice((current - 1) * FILES_PAGE_SIZE, current * FILES_PAGE_SIZE);

  const onSort = (key: SortKey) => {
    setSort((s) => (s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: 1 }));
    setPage(1);
  };
  const breakdown = FILE_OUTCOMES.filter((o) => files.counts[o] > 0).map((o) => t(`files.count.${o}`, { count: f.number(files.counts[o]) }));
  const options = [
    { value: 'failed', label: t('files.failedOnly', { count: failedCount }) },
    { value: 'all', label: t('files.allListed', { count: files.listed.length }) },
    ...FILE_OUTCOMES.filter((o) => files.counts[o] > 0).map((o) => ({
      value: o,
      label: t('files.outcomeCount', { outcome: t(OUTCOME_LABELS[o]), count: files.counts[o] }),
    })),
  ];
  const capped = { capFailed: files.cap.failed, capOk: files.cap.ok, omittedFailed: files.omitted.failed, omittedOk: files.omitted.ok };

  return (
    <Stack gap="xs" data-testid="file-results">
      <Text size="sm" data-files-summary>
        {checked === 0 ? t('files.noneChecked') : t('files.checked', { count: checked, breakdown: breakdown.join(', ') })}
        {files.omitted.ok + files.omitted.failed > 0 ? ` ${t(files.omitted.failed > 0 ? 'files.cappedFailed' : 'files.capped', capped)}` : ''}
        {!files.complete && files.notChecked > 0 ? ` ${t('files.stoppedListed', { count: files.notChecked })}` : ''}
        {!files.complete && files.notChecked === 0 && checked > 0 ? ` ${t('files.stopped')}` : ''}
      </Text>
      {files.listed.length > 0 ? (
        <>
          <Group align="flex-end" justify="space-between">
            <NativeSelect
              label={t('files.show')}
              aria-label={t('files.showLabel')}
              data={options}
              value={filter}
              onChange={(event) => {
                setFilter(event.currentTarget.value as Filter);
                setPage(1);
              }}
              maw={320}
            />
            <Text size="xs" c="dimmed" aria-live="polite">
              {rows.length === 0
                ? t('files.noMatch')
                : t('files.showing', {
                    from: (current - 1) * FILES_PAGE_SIZE + 1,
                    to: (current - 1) * FILES_PAGE_SIZE + shown.length,
                    total: rows.length,
                  })}
            </Text>
          </Group>
          <Table.ScrollContainer minWidth={560}>
            <Table withTableBorder striped aria-label={t('files.table')} aria-rowcount={rows.length + 1}>
              <Table.Thead>
                <Table.Tr>
                  <SortHeader sortKey="path" sort={sort} onSort={onSort} />
                  <SortHeader sortKey="size" sort={sort} onSort={onSort} />
                  <SortHeader sortKey="outcome" sort={sort} onSort={onSort} />
                  <Table.Th>{t('files.code')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((r, index) => (
                  <Table.Tr key={`${r.outcome}:${r.path}:${index}`} data-outcome={r.outcome}>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      <Code>{displayText(r.path)}</Code>
                    </Table.Td>
                    <Table.Td>{r.size === null ? '—' : f.bytes(r.size)}</Table.Td>
                    <Table.Td>
                      <StatusBadge tone={r.outcome === 'ok' ? 'pass' : 'fail'}>{t(OUTCOME_LABELS[r.outcome])}</StatusBadge>
                    </Table.Td>
                    <Table.Td>{r.code ? <Code>{r.code}</Code> : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {pages > 1 ? <Pagination total={pages} value={current} onChange={setPage} aria-label={t('files.pages')} size="sm" /> : null}
        </>
      ) : null}
    </Stack>
  );
}
