/**
 * Channel findings a watcher reported (gaps, duplicates, reordering, a broken back-link, a bad
 * stamp), newest first: the code in words, who sent on which channel, the sequence expected and
 * the one received, and whether the policy refused the bundle or let it through on record.
 */
import { Code, Table, Text } from '@mantine/core';
import type { ChannelFinding } from '../../../../shared/channels.js';
import { displayText } from '../../../../shared/display-text.js';
import { PROBLEM_TEXT } from '../../../../shared/problems.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { detailOf } from './inbox-text.js';
import { MarkedText } from './MarkedText.js';

const DECISION_TEXT = {
  refuse: { icon: '✗', text: 'Refused', color: 'red' },
  warn: { icon: '⚠', text: 'Let through, on record', color: 'orange' },
} as const;

function FindingDetail({ finding }: { finding: ChannelFinding }) {
  const detail = detailOf(finding.message, PROBLEM_TEXT[finding.code].message);
  return detail === null ? null : (
    <Text size="xs" c="dimmed">
      {displayText(detail)}
    </Text>
  );
}

export function FindingsTable({ findings, label }: { findings: readonly ChannelFinding[]; label: string }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder striped aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Finding</Table.Th>
            <Table.Th>Signer and channel</Table.Th>
            <Table.Th>Expected</Table.Th>
            <Table.Th>Received</Table.Th>
            <Table.Th>Decision</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {findings.map((finding, index) => (
            <Table.Tr key={`${finding.signer}-${finding.channel}-${finding.received}-${index}`} data-finding={finding.code}>
              <Table.Td>
                <Text size="sm">
                  <Code>{finding.code}</Code> {PROBLEM_TEXT[finding.code].message}
                </Text>
                <FindingDetail finding={finding} />
              </Table.Td>
              <Table.Td>
                <Fingerprint value={finding.signer} />
                <Text size="sm">
                  channel <Code>{displayText(finding.channel)}</Code>
                </Text>
              </Table.Td>
              <Table.Td>{finding.expected}</Table.Td>
              <Table.Td>{finding.received}</Table.Td>
              <Table.Td>
                <MarkedText mark={DECISION_TEXT[finding.decision]} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
