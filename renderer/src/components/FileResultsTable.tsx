/**
 * Every file's outcome, as core listed it: filterable by outcome, sortable, paged. Core lists
 * failed files up to one cap and intact ones up to another and counts the rest; the summary
 * says so, so the operator never mistakes a page of a sample for the whole bundle. Paths are
 * hostile text: every one goes through displayText().
 */
import { Code, Group, NativeSelect, Pagination, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import { formatBytes } from '../../../shared/format.js';
import type { FileOutcome, FileResult, FileResults } from '../../../shared/results.js';
import { FILE_OUTCOMES } from '../../../shared/results.js';
import { plural } from './plural.js';
import { StatusBadge } from './StatusIcon.js';

export const OUTCOME_LABELS: Record<FileOutcome, string> = {
  ok: 'Intact',
  'checksum-mismatch': 'Checksum mismatch',
  missing: 'Missing',
  unlisted: 'Not in the manifest',
  'refused-name': 'Name refused',
  'refused-type': 'Entry type refused',
  'refused-limit': 'Over a station limit',
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

function SortHeader({
  label,
  sortKey,
  sort,
  onSort,
}: {
  label: string;
  sortKey: SortKey;
  sort: { key: SortKey; dir: 1 | -1 };
  onSort: (key: SortKey) => void;
}) {
  const active = sort.key === sortKey;
  const ariaSort = active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none';
  return (
    <Table.Th aria-sort={ariaSort}>
      <UnstyledButton
        onClick={() => onSort(sortKey)}
        aria-label={`Sort by ${label.toLowerCase()}${active ? (sort.dir === 1 ? ', sorted ascending' : ', sorted descending') : ''}`}
        fw={600}
        fz="sm"
      >
        {label} {active ? (sort.dir === 1 ? '▲' : '▼') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

export function FileResultsTable({ files }: { files: FileResults }) {
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
  const breakdown = FILE_OUTCOMES.filter((o) => files.counts[o] > 0).map((o) => `${files.counts[o]} ${OUTCOME_LABELS[o].toLowerCase()}`);
  const options = [
    { value: 'failed', label: `Problems only (${failedCount})` },
    { value: 'all', label: `All listed files (${files.listed.length})` },
    ...FILE_OUTCOMES.filter((o) => files.counts[o] > 0).map((o) => ({ value: o, label: `${OUTCOME_LABELS[o]} (${files.counts[o]})` })),
  ];

  return (
    <Stack gap="xs" data-testid="file-results">
      <Text size="sm" data-files-summary>
        {checked === 0 ? 'No payload file was checked.' : `${plural(checked, 'file')} checked: ${breakdown.join(', ')}.`}
        {files.omitted.ok + files.omitted.failed > 0
          ? ` To keep the report small, only the first ${files.cap.failed} failed and ${files.cap.ok} intact files are listed: ${files.omitted.failed > 0 ? `${files.omitted.failed} more failed and ` : ''}${files.omitted.ok} more intact files were checked and counted but are not listed.`
          : ''}
        {!files.complete && files.notChecked > 0 ? ` Verification stopped before the end: ${plural(files.notChecked, 'listed file')} were not checked.` : ''}
        {!files.complete && files.notChecked === 0 && checked > 0 ? ' Verification stopped before the end of the bundle.' : ''}
      </Text>
      {files.listed.length > 0 ? (
        <>
          <Group align="flex-end" justify="space-between">
            <NativeSelect
              label="Show"
              aria-label="Show files"
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
                ? 'No files match.'
                : `Showing ${(current - 1) * FILES_PAGE_SIZE + 1}-${(current - 1) * FILES_PAGE_SIZE + shown.length} of ${rows.length}`}
            </Text>
          </Group>
          <Table.ScrollContainer minWidth={560}>
            <Table withTableBorder striped aria-label="Files checked" aria-rowcount={rows.length + 1}>
              <Table.Thead>
                <Table.Tr>
                  <SortHeader label="Path" sortKey="path" sort={sort} onSort={onSort} />
                  <SortHeader label="Size" sortKey="size" sort={sort} onSort={onSort} />
                  <SortHeader label="Outcome" sortKey="outcome" sort={sort} onSort={onSort} />
                  <Table.Th>Code</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((r, index) => (
                  <Table.Tr key={`${r.outcome}:${r.path}:${index}`} data-outcome={r.outcome}>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      <Code>{displayText(r.path)}</Code>
                    </Table.Td>
                    <Table.Td>{r.size === null ? '—' : formatBytes(r.size)}</Table.Td>
                    <Table.Td>
                      <StatusBadge tone={r.outcome === 'ok' ? 'pass' : 'fail'}>{OUTCOME_LABELS[r.outcome]}</StatusBadge>
                    </Table.Td>
                    <Table.Td>{r.code ? <Code>{r.code}</Code> : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {pages > 1 ? <Pagination total={pages} value={current} onChange={setPage} aria-label="File pages" size="sm" /> : null}
        </>
      ) : null}
    </Stack>
  );
}
