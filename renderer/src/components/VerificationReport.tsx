/**
 * The outcome of a verification, in the order the operator needs it: verified or rejected, who
 * signed (signer cards), every file's outcome, content inspection (types, archives, scan, the
 * scanner's database age), each station policy check, then every problem with its next step.
 */
import { Alert, Stack, Table, Text, Title } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { VerifyReport } from '../../../shared/ipc.js';
import type { MessageId } from '../i18n/en.js';
import { useFormat } from '../i18n/format.js';
import { useT } from '../i18n/useT.js';
import { FileResultsTable } from './FileResultsTable.js';
import { ImagesTable } from './ImagesTable.js';
import { InspectionReport } from './inspection/InspectionReport.js';
import { POLICY_CHECK_LABELS, PolicyFindings } from './PolicyFindings.js';
import { ProblemList } from './ProblemList.js';
import { SignerCard } from './SignerCard.js';

export function VerificationReport({ report, context = 'verify' }: { report: VerifyReport; context?: 'verify' | 'import' }) {
  const t = useT();
  const f = useFormat();
  const importRefusals = report.policy.findings.filter((finding) => finding.outcome === 'fail' && finding.refusedBy === 'import');
  const b = report.bundle;
  const unknown = t('report.unknown');
  const facts: Array<[MessageId, string]> = [
    ['report.fact.bundle', displayText(b.name ?? b.path)],
    ['report.fact.file', displayText(b.path)],
    ['report.fact.uuid', b.uuid === null ? unknown : displayText(b.uuid)],
    ['report.fact.station', b.station === null ? unknown : displayText(b.station)],
    ['report.fact.operator', b.operator === null ? unknown : displayText(b.operator)],
    ['report.fact.sequence', b.sequence === null ? unknown : String(b.sequence)],
    ['report.fact.created', b.created === null ? unknown : displayText(b.created)],
  ];
  return (
    <Stack gap="md" data-verified={report.ok ? 'yes' : 'no'}>
      {report.ok ? (
        <Alert color="green" title={t('report.verified')} role="status">
          {t('report.verifiedText', { files: b.files, size: f.bytes(b.bytes) })}
          {context === 'verify' && importRefusals.length > 0
            ? ` ${t('report.importRefuses', { checks: importRefusals.map((finding) => t(POLICY_CHECK_LABELS[finding.check])).join(', ') })}`
            : ''}
        </Alert>
      ) : (
        <Alert color="red" title={t('report.rejected')} role="alert">
          {t('report.rejectedText', { count: report.problems.length })}
        </Alert>
      )}
      <Stack gap="xs">
        <Title order={3}>{t('report.signedBy')}</Title>
        {report.signers.length > 0 ? report.signers.map((s) => <SignerCard key={s.fingerprint} signer={s} />) : <Text size="sm">{t('report.noSigner')}</Text>}
      </Stack>
      <Table withTableBorder variant="vertical" aria-label={t('report.facts')}>
        <Table.Tbody>
          {facts.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th w={160}>{t(k)}</Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th>{t('report.filesChecked')}</Table.Th>
            <Table.Td>
              {report.ok ? t('report.filesOk', { files: b.files, size: f.bytes(b.bytes) }) : t('report.filesBad', { files: b.files, size: f.bytes(b.bytes) })}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Stack gap="xs">
        <Title order={3}>{t('report.files')}</Title>
        <FileResultsTable files={report.files} />
      </Stack>
      <InspectionReport inspection={report.inspection} problems={report.problems} />
      {report.images && report.images.length > 0 ? (
        <Stack gap="xs">
          <Title order={3}>{t('report.images')}</Title>
          <Text size="sm">{t(report.ok ? 'report.imagesOk' : 'report.imagesBad', { count: report.images.length })}</Text>
          <ImagesTable images={report.images} />
        </Stack>
      ) : null}
      <Stack gap="xs">
        <Title order={3}>{t('report.policy')}</Title>
        <PolicyFindings policy={report.policy} context={context} />
      </Stack>
      {report.problems.length > 0 ? (
        <Stack gap="xs">
          <Title order={3}>{t('report.problems')}</Title>
          <ProblemList problems={report.problems} />
        </Stack>
      ) : null}
    </Stack>
  );
}
