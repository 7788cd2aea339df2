/**
 * The quarantine's entries, newest first: when, which bundle, the codes that refused it, its size
 * and status (icon and words, never colour alone), and a button to open each. Bundle names are
 * hostile text: each goes through displayText().
 */
import { Button, Code, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import { formatBytes } from '../../../../shared/format.js';
import type { QuarantineEntry } from '../../../../shared/inspection.js';

export const STATUS_TEXT: Record<QuarantineEntry['status'], { icon: string; text: string; color: string }> = {
  held: { icon: '■', text: 'Held', color: 'orange' },
  released: { icon: '✓', text: 'Released', color: 'blue' },
  purged: { icon: '✗', text: 'Purged', color: 'gray' },
};

export function QuarantineStatus({ entry }: { entry: QuarantineEntry }) {
  const status = STATUS_TEXT[entry.status];
  return (
    <Group gap={6} wrap="nowrap">
      <Text span aria-hidden="true" fw={700} c={`${status.color}.8`}>
        {status.icon}
      </Text>
      <Text span size="sm" fw={600}>
        {status.text}
      </Text>
    </Group>
  );
}

export function QuarantineTable({ entries, selected, onOpen }: { entries: readonly QuarantineEntry[]; selected: string | null; onOpen: (id: string) => void }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table withTableBorder striped aria-label="Quarantined bundles">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Quarantined</Table.Th>
            <Table.Th>Bundle</Table.Th>
            <Table.Th>Refused for</Table.Th>
            <Table.Th>Size</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Open</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id} data-quarantine-id={entry.id} data-status={entry.status} aria-selected={selected === entry.id}>
              <Table.Td>
                <Text size="sm">{displayText(entry.quarantinedAt.replace('T', ' ').slice(0, 19))}</Text>
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
              <Table.Td>{formatBytes(entry.bytes)}</Table.Td>
              <Table.Td>
                <QuarantineStatus entry={entry} />
              </Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant={selected === entry.id ? 'filled' : 'default'}
                  onClick={() => onOpen(entry.id)}
                  aria-label={`Open ${displayText(entry.bundleName)}`}
                >
                  Open
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
