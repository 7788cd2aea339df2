/**
 * Channel findings a watcher reported (gaps, duplicates, reordering, a broken back-link, a bad
 * stamp), newest first: the code in words, who sent on which channel, the sequence expected and
 * the one received, and whether the policy refused the bundle or let it through on record.
 */
import { Code, Table, Text } from '@mantine/core';
import type { ChannelFinding } from '../../../../shared/channels.js';
import { displayText } from '../../../../shared/display-text.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { useSharedText } from '../../i18n/shared-text.js';
import { Msg, useT } from '../../i18n/useT.js';
import type { MessageId } from '../../i18n/en.js';
import { PROBLEM_TEXT } from '../../../../shared/problems.js';
import { detailOf } from './inbox-text.js';
import { MarkedText } from './MarkedText.js';

const DECISION_MARK: Record<ChannelFinding['decision'], { icon: string; id: MessageId; color: string }> = {
  refuse: { icon: '✗', id: 'inbox.findings.refused', color: 'red' },
  warn: { icon: '⚠', id: 'inbox.findings.warned', color: 'orange' },
};

function FindingDetail({ finding }: { finding: ChannelFinding }) {
  const detail = detailOf(finding.message, PROBLEM_TEXT[finding.code].message);
  // The detail is the engine's English (a count, a sequence number): marked so.
  return detail === null ? null : (
    <Text size="xs" c="dimmed" lang="en">
      {displayText(detail)}
    </Text>
  );
}

export function FindingsTable({ findings, label }: { findings: readonly ChannelFinding[]; label: string }) {
  const t = useT();
  const shared = useSharedText();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder striped aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inbox.findings.finding')}</Table.Th>
            <Table.Th>{t('inbox.findings.signerChannel')}</Table.Th>
            <Table.Th>{t('inbox.findings.expected')}</Table.Th>
            <Table.Th>{t('inbox.findings.received')}</Table.Th>
            <Table.Th>{t('inbox.findings.decision')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {findings.map((finding, index) => (
            <Table.Tr key={`${finding.signer}-${finding.channel}-${finding.received}-${index}`} data-finding={finding.code}>
              <Table.Td>
                <Text size="sm">
                  <Code>{finding.code}</Code> {shared.problemBase(finding.code)}
                </Text>
                <FindingDetail finding={finding} />
              </Table.Td>
              <Table.Td>
                <Fingerprint value={finding.signer} />
                <Text size="sm">
                  <Msg id="inbox.findings.channel" values={{ channel: displayText(finding.channel), code: (chunks) => <Code>{chunks}</Code> }} />
                </Text>
              </Table.Td>
              <Table.Td>{finding.expected}</Table.Td>
              <Table.Td>{finding.received}</Table.Td>
              <Table.Td>
                <MarkedText mark={{ ...DECISION_MARK[finding.decision], text: t(DECISION_MARK[finding.decision].id) }} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
