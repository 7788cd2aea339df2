/**
 * A watcher's recent outcomes, newest first: when the bundle arrived and was settled, its name
 * (hostile: escaped), where it ended (icon and word), why (each code with its message), where it
 * lies now and its audit event.
 */
import { Code, Stack, Table, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { WatchBundleRecord } from '../../../../shared/watch.js';
import { useT } from '../../i18n/useT.js';
import { useInboxText } from './inbox-text.js';
import { MarkedText } from './MarkedText.js';

function Codes({ codes }: { codes: readonly string[] }) {
  const { codeWords } = useInboxText();
  if (codes.length === 0) return <Text size="sm">—</Text>;
  return (
    <Stack gap={4}>
      {codes.map((code, index) => (
        <Text size="sm" key={`${code}-${index}`} data-code={code}>
          <Code>{displayText(code)}</Code> {codeWords(code)}
        </Text>
      ))}
    </Stack>
  );
}

/** Where a bundle lies, relative to the watcher's inbox when it lies under it (accepted/…, quarantine/…, refused/…). */
function underInbox(path: string, inbox: string): string {
  const prefix = inbox.endsWith('/') ? inbox : `${inbox}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

export function OutcomesTable({ records, label, inbox }: { records: readonly WatchBundleRecord[]; label: string; inbox: string }) {
  const t = useT();
  const { when, outcome } = useInboxText();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder striped aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inbox.outcomes.settled')}</Table.Th>
            <Table.Th>{t('inbox.outcomes.bundle')}</Table.Th>
            <Table.Th>{t('inbox.outcomes.outcome')}</Table.Th>
            <Table.Th>{t('inbox.outcomes.why')}</Table.Th>
            <Table.Th>{t('inbox.outcomes.nowIn')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {records.map((record, index) => (
            <Table.Tr key={`${record.finishedAt}-${index}`} data-outcome={record.outcome} data-bundle={record.name}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">{when(record.finishedAt)}</Text>
                <Text size="xs" c="dimmed">
                  {t('inbox.outcomes.arrived', { time: when(record.arrivedAt) })}
                </Text>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <Code>{displayText(record.name)}</Code>
                {record.bundleUuid ? (
                  <Text size="xs" c="dimmed" ff="monospace" translate="no">
                    {displayText(record.bundleUuid)}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <MarkedText mark={outcome(record.outcome)} />
              </Table.Td>
              <Table.Td>
                <Codes codes={record.codes} />
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                {record.movedTo ? <Code title={displayText(record.movedTo)}>{displayText(underInbox(record.movedTo, inbox))}</Code> : <Text size="sm">—</Text>}
                {record.auditSeq !== null ? (
                  <Text size="xs" c="dimmed">
                    {t('inbox.outcomes.auditEvent', { seq: record.auditSeq })}
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
