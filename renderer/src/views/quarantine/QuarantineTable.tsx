/**
 * The quarantine's entries, newest first: when, which bundle, the codes that refused it, its size
 * and status (icon and words, never colour alone), and a button to open each. Bundle names are
 * hostile text: each goes through displayText().
 */
import { Button, Code, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { QuarantineEntry } from '../../../../shared/inspection.js';
import type { MessageId } from '../../i18n/en.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';

export const STATUS_TEXT: Record<QuarantineEntry['status'], { icon: string; text: MessageId; color: string }> = {
  held: { icon: '■', text: 'quarantine.status.held', color: 'orange' },
  released: { icon: '✓', text: 'quarantine.status.released', color: 'blue' },
  purged: { icon: '✗', text: 'quarantine.status.purged', color: 'gray' },
};

export function QuarantineStatus({ entry }: { entry: QuarantineEntry }) {
  const t = useT();
  const status = STATUS_TEXT[entry.status];
  return (
    <Group gap={6} wrap="nowrap">
      <Text span aria-hidden="true" fw={700} c={`${status.color}.8`}>
        {status.icon}
      </Text>
      <Text span size="sm" fw={600}>
        {t(status.text)}
      </Text>
    </Group>
  );
}

export function QuarantineTable({ entries, selected, onOpen }: { entries: readonly QuarantineEntry[]; selected: string | null; onOpen: (id: string) => void }) {
  const t = useT();
  const f = useFormat();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table withTableBorder striped aria-label={t('quarantine.table.label')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('quarantine.table.quarantined')}</Table.Th>
            <Table.Th>{t('quarantine.table.bundle')}</Table.Th>
            <Table.Th>{t('quarantine.table.refusedFor')}</Table.Th>
            <Table.Th>{t('quarantine.table.size')}</Table.Th>
            <Table.Th>{t('quarantine.table.status')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('quarantine.table.open')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id} data-quarantine-id={entry.id} data-status={entry.status} aria-selected={selected === entry.id}>
              <Table.Td>
                <Text size="sm">{f.utcTime(displayText(entry.quarantinedAt))}</Text>
                <Text size="xs" c="dimmed" ff="monospace" translate="no">
                  {displayText(entry.id)}
                </Text>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <Code>{displayText(entry.bundleName)}</Code>
              </Table.Td>
              <Table.Td>
                {entry.codes.map((code) => (
                  <Code key={code} mr={4}>
                    {code}
                  </Code>
                ))}
              </Table.Td>
              <Table.Td>{f.bytes(entry.bytes)}</Table.Td>
              <Table.Td>
                <QuarantineStatus entry={entry} />
              </Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant={selected === entry.id ? 'filled' : 'default'}
                  onClick={() => onOpen(entry.id)}
                  aria-label={t('quarantine.table.openName', { name: displayText(entry.bundleName) })}
                >
                  {t('quarantine.table.open')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
