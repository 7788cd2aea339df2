/** The outcome of a verification: verified or rejected, who signed, what was checked, every problem. */
import { Alert, Stack, Table, Text, Title } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import { formatBytes } from '../../../shared/format.js';
import type { VerifyReport } from '../../../shared/ipc.js';
import { plural } from './plural.js';
import { ProblemList } from './ProblemList.js';
import { SignerCard } from './SignerCard.js';

export function VerificationReport({ report }: { report: VerifyReport }) {
  const b = report.bundle;
  const facts: Array<[string, string]> = [
    ['Bundle', displayText(b.name ?? b.path)],
    ['File', displayText(b.path)],
    ['Bundle id', displayText(b.uuid ?? 'unknown')],
    ['From station', displayText(b.station ?? 'unknown')],
    ['Operator', displayText(b.operator ?? 'unknown')],
    ['Sequence', b.sequence === null ? 'unknown' : String(b.sequence)],
    ['Created', displayText(b.created ?? 'unknown')],
  ];
  return (
    <Stack gap="md" data-verified={report.ok ? 'yes' : 'no'}>
      {report.ok ? (
        <Alert color="green" title="Verified" role="status">
          Signed by a trusted key, and {b.files === 1 ? 'the one file' : `all ${b.files} files`} ({formatBytes(b.bytes)}) match the signed manifest byte for byte.
        </Alert>
      ) : (
        <Alert color="red" title="Rejected" role="alert">
          This bundle must not be imported. {report.problems.length === 1 ? 'One problem was' : `${report.problems.length} problems were`} found;
          each says what to do next.
        </Alert>
      )}
      <Stack gap="xs">
        <Title order={3}>Signed by</Title>
        {report.signers.length > 0 ? (
          report.signers.map((s) => <SignerCard key={s.fingerprint} signer={s} />)
        ) : (
          <Text size="sm">No signature from a key this station trusts was proven.</Text>
        )}
      </Stack>
      <Table withTableBorder variant="vertical" aria-label="Bundle facts">
        <Table.Tbody>
          {facts.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th w={160}>{k}</Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th>Files checked</Table.Th>
            <Table.Td>
              {report.ok ? `${plural(b.files, 'file')}, ${formatBytes(b.bytes)}: every checksum matches` : `${plural(b.files, 'file')}, ${formatBytes(b.bytes)} read; see the problems below`}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {report.problems.length > 0 ? (
        <Stack gap="xs">
          <Title order={3}>Problems</Title>
          <ProblemList problems={report.problems} />
        </Stack>
      ) : null}
    </Stack>
  );
}
