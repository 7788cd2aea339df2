/**
 * The outcome of a verification, in the order the operator needs it: verified or rejected, who
 * signed (signer cards), every file's outcome, content inspection (types, archives, scan, the
 * scanner's database age), each station policy check, then every problem with its next step.
 */
import { Alert, Stack, Table, Text, Title } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import { formatBytes } from '../../../shared/format.js';
import type { VerifyReport } from '../../../shared/ipc.js';
import { FileResultsTable } from './FileResultsTable.js';
import { ImagesTable } from './ImagesTable.js';
import { InspectionReport } from './inspection/InspectionReport.js';
import { plural } from './plural.js';
import { POLICY_CHECK_LABELS, PolicyFindings } from './PolicyFindings.js';
import { ProblemList } from './ProblemList.js';
import { SignerCard } from './SignerCard.js';

const imageCount = (n: number): string => `${n} ${n === 1 ? 'image or chart' : 'images or charts'}`;

export function VerificationReport({ report, context = 'verify' }: { report: VerifyReport; context?: 'verify' | 'import' }) {
  const importRefusals = report.policy.findings.filter((f) => f.outcome === 'fail' && f.refusedBy === 'import');
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
          Signed by a trusted key, and {b.files === 1 ? 'the one file' : `all ${b.files} files`} ({formatBytes(b.bytes)}) match the signed manifest byte for
          byte.
          {context === 'verify' && importRefusals.length > 0
            ? ` But this station's import policy refuses it: ${importRefusals.map((f) => POLICY_CHECK_LABELS[f.check].toLowerCase()).join(', ')} (see Station policy below).`
            : ''}
        </Alert>
      ) : (
        <Alert color="red" title="Rejected" role="alert">
          This bundle must not be imported. {report.problems.length === 1 ? 'One problem was' : `${report.problems.length} problems were`} found; each says what
          to do next.
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
              {report.ok
                ? `${plural(b.files, 'file')}, ${formatBytes(b.bytes)}: every checksum matches`
                : `${plural(b.files, 'file')}, ${formatBytes(b.bytes)} read; see the problems below`}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Stack gap="xs">
        <Title order={3}>Files</Title>
        <FileResultsTable files={report.files} />
      </Stack>
      <InspectionReport inspection={report.inspection} problems={report.problems} />
      {report.images && report.images.length > 0 ? (
        <Stack gap="xs">
          <Title order={3}>Images and charts</Title>
          <Text size="sm">
            {report.ok
              ? `${imageCount(report.images.length)} in the bundle's OCI layout: every manifest, config and layer reachable from its index is present with its exact size and digest.`
              : `${imageCount(report.images.length)} as the signed descriptor lists them; see the problems below before trusting any of them.`}
          </Text>
          <ImagesTable images={report.images} />
        </Stack>
      ) : null}
      <Stack gap="xs">
        <Title order={3}>Station policy</Title>
        <PolicyFindings policy={report.policy} context={context} />
      </Stack>
      {report.problems.length > 0 ? (
        <Stack gap="xs">
          <Title order={3}>Problems</Title>
          <ProblemList problems={report.problems} />
        </Stack>
      ) : null}
    </Stack>
  );
}
