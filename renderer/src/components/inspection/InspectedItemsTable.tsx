/**
 * Every inspected item core listed: the payload file and, for an archive member, the chain of
 * names from the outer archive inwards; its type by content and its extension; the scan result
 * with the scanner's words; the codes it raised. Names are hostile text: each goes through
 * displayText(). Outcomes carry an icon and words, never colour alone. Paged like the file table.
 */
import { Code, Group, NativeSelect, Pagination, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { InspectedItem, ScanOutcome } from '../../../../shared/inspection.js';
import type { MessageId } from '../../i18n/en.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';

export const SCAN_TEXT: Record<ScanOutcome, { icon: string; text: MessageId; color: string }> = {
  clean: { icon: '✓', text: 'inspection.scan.clean', color: 'green' },
  found: { icon: '✗', text: 'inspection.scan.found', color: 'red' },
  error: { icon: '✗', text: 'inspection.scan.error', color: 'red' },
  unavailable: { icon: '✗', text: 'inspection.scan.unavailable', color: 'red' },
  'not-scanned': { icon: '–', text: 'inspection.scan.notScanned', color: 'gray' },
};

export const ITEMS_PAGE_SIZE = 25;

type Filter = 'flagged' | 'all';

/** `data/a.tar.gz › inner/b.zip › c.exe`: the file, then each member inwards. */
export function itemChain(item: Pick<InspectedItem, 'path' | 'members'>): string {
  return [item.path, ...item.members].map(displayText).join(' › ');
}

function Verdict({ item }: { item: InspectedItem }) {
  const t = useT();
  if (item.findings.length > 0)
    return (
      <Text size="sm" fw={700}>
        {t('inspection.verdict.refused')}
      </Text>
    );
  if (item.warnings.length > 0)
    return (
      <Text size="sm" fw={600}>
        {t('inspection.verdict.warning')}
      </Text>
    );
  return <Text size="sm">{t('inspection.verdict.passed')}</Text>;
}

export function InspectedItemsTable({ items }: { items: readonly InspectedItem[] }) {
  const t = useT();
  const f = useFormat();
  const flagged = items.filter((i) => i.findings.length > 0 || i.warnings.length > 0).length;
  const [filter, setFilter] = useState<Filter>(flagged > 0 ? 'flagged' : 'all');
  const [page, setPage] = useState(1);
  const rows = useMemo(() => (filter === 'all' ? items : items.filter((i) => i.findings.length > 0 || i.warnings.length > 0)), [items, filter]);
  const pages = Math.max(1, Math.ceil(rows.length / ITEMS_PAGE_SIZE));
  const current = Math.min(page, pages);
  const shown = rows.slice((current - 1) * ITEMS_PAGE_SIZE, current * ITEMS_PAGE_SIZE);
  if (items.length === 0) return null;
  return (
    <Stack gap="xs">
      <Group align="flex-end" justify="space-between">
        <NativeSelect
          label={t('inspection.items.show')}
          aria-label={t('inspection.items.showAria')}
          data={[
            { value: 'flagged', label: t('inspection.items.flagged', { count: flagged }) },
            { value: 'all', label: t('inspection.items.all', { count: items.length }) },
          ]}
          value={filter}
          onChange={(event) => {
            setFilter(event.currentTarget.value as Filter);
            setPage(1);
          }}
          maw={320}
        />
        <Text size="xs" c="dimmed" aria-live="polite">
          {rows.length === 0
            ? t('inspection.items.noMatch')
            : t('inspection.items.showing', {
                from: (current - 1) * ITEMS_PAGE_SIZE + 1,
                to: (current - 1) * ITEMS_PAGE_SIZE + shown.length,
                total: rows.length,
              })}
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table withTableBorder striped aria-label={t('inspection.items.table')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('inspection.items.item')}</Table.Th>
              <Table.Th>{t('inspection.items.type')}</Table.Th>
              <Table.Th>{t('inspection.items.extension')}</Table.Th>
              <Table.Th>{t('inspection.items.scan')}</Table.Th>
              <Table.Th>{t('inspection.items.result')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((item, index) => {
              const scan = SCAN_TEXT[item.scan];
              return (
                <Table.Tr
                  key={`${item.path}\u0000${item.members.join('\u0000')}:${index}`}
                  data-scan={item.scan}
                  data-findings={item.findings.join(' ')}
                  data-member-depth={item.members.length}
                >
                  <Table.Td style={{ wordBreak: 'break-all' }}>
                    <Code>{itemChain(item)}</Code>
                    <Text size="xs" c="dimmed">
                      {item.members.length > 0 ? t('inspection.items.member', { depth: item.members.length }) : ''}
                      {f.bytes(item.size)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {item.detectedType ? <Code>{displayText(item.detectedType)}</Code> : <Text size="sm">{t('inspection.items.notRecognised')}</Text>}
                    {item.macros ? (
                      <Text size="sm" fw={700}>
                        {t('inspection.items.macros')}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {item.extension ? <Code>{displayText(item.extension)}</Code> : <Text size="sm">{t('inspection.items.noExtension')}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text span aria-hidden="true" fw={700} c={`${scan.color}.8`}>
                        {scan.icon}
                      </Text>
                      <Text span size="sm" fw={item.scan === 'clean' ? 400 : 700} style={{ whiteSpace: 'nowrap' }}>
                        {t(scan.text)}
                      </Text>
                    </Group>
                    {item.scanDetail ? (
                      <Text size="sm" ff="monospace" translate="no" style={{ wordBreak: 'break-all' }}>
                        {displayText(item.scanDetail)}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Verdict item={item} />
                    {[...item.findings, ...item.warnings].map((code, i) => (
                      <Code key={`${code}-${i}`} mr={4} data-code={code}>
                        {code}
                        {i >= item.findings.length ? t('inspection.items.warningSuffix') : ''}
                      </Code>
                    ))}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 ? <Pagination total={pages} value={current} onChange={setPage} aria-label={t('inspection.items.pages')} size="sm" /> : null}
    </Stack>
  );
}
