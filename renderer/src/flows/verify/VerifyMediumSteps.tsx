/**
 * "Verify a medium": choose a detected medium, re-verify every bundle and part set on it past
 * the page cache (Station.verifyMedia), and report per bundle. Nothing is written or imported.
 */
import { Alert, Button, Code, Group, List, Radio, Stack, Table, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { MediaVerifyView, MediaVolumeView } from '../../../../shared/ipc.js';
import type { Progress } from '../../../../shared/progress.js';
import { EjectMedium } from '../../components/EjectMedium.js';
import { JobProgress } from '../../components/JobProgress.js';
import { MediaCount, mediumName, MediumRadio, READ_BACK_TEXT } from '../../components/media.js';
import { ProblemList } from '../../components/ProblemList.js';
import { SignerCard } from '../../components/SignerCard.js';
import { StepHeader } from '../../components/StepHeader.js';
import { StatusBadge, StatusText } from '../../components/StatusIcon.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';
import { ImportSigningField, useStationKey, type ImportSigning } from '../import/ImportSigningField.js';
import { MediumReceipts } from './MediumReceipts.js';

export interface ChooseMediumStepProps {
  media: MediaVolumeView[] | null;
  mediumId: string | null;
  onChange: (id: string) => void;
  onVerify: () => void;
  /** The station key's passphrase that signs the verification's receipts; left empty, they are unsigned. */
  signing: ImportSigning;
  onSigningChange: (signing: ImportSigning) => void;
}

export function ChooseMediumStep({ media, mediumId, onChange, onVerify, signing, onSigningChange }: ChooseMediumStepProps) {
  const t = useT();
  const stationKey = useStationKey();
  const chosen = media?.find((v) => v.id === mediumId) ?? null;
  return (
    <Stack>
      <StepHeader flow={t('flow.verify')} step={1} of={3} title={t('verify.medium.title')} happens={t('verify.medium.happens')} />
      <MediaCount media={media} purpose="read" />
      {media && media.length > 0 ? (
        <Radio.Group value={chosen ? chosen.id : null} onChange={onChange} label={t('verify.medium.label')} name="verify-medium">
          <Stack gap="xs" mt="xs">
            {media.map((m) => (
              <MediumRadio key={m.id} medium={m} disabled={m.mountPoint === null} notes={m.mountPoint === null ? [t('verify.medium.notMounted')] : []} />
            ))}
          </Stack>
        </Radio.Group>
      ) : null}
      {mediumId !== null && media !== null && chosen === null ? (
        <Alert color="yellow" title={t('verify.medium.goneTitle')} role="alert">
          <Text size="sm">{t('verify.medium.goneText')}</Text>
        </Alert>
      ) : null}
      <ImportSigningField stationKey={stationKey} signing={signing} onChange={onSigningChange} lastError={null} purpose="verify-medium" />
      <Group justify="flex-end">
        <Button onClick={onVerify} disabled={chosen === null || chosen.mountPoint === null}>
          {t('verify.medium.verify')}
        </Button>
      </Group>
    </Stack>
  );
}

export function VerifyingMediumStep({
  medium,
  progress,
  cancelling,
  onCancel,
}: {
  medium: MediaVolumeView;
  progress: Progress | null;
  cancelling: boolean;
  onCancel?: (() => void) | undefined;
}) {
  const t = useT();
  return (
    <Stack>
      <StepHeader
        flow={t('flow.verify')}
        step={2}
        of={3}
        title={t('verify.medium.running')}
        happens={t('verify.medium.runningHappens')}
        proven={[
          medium.mountPoint
            ? t('verify.medium.mediumAt', { medium: mediumName(medium), mountPoint: displayText(medium.mountPoint) })
            : t('verify.medium.medium', { medium: mediumName(medium) }),
        ]}
      />
      <JobProgress progress={progress} cancelling={cancelling} onCancel={onCancel} />
    </Stack>
  );
}

function baseName(path: string): string {
  return path.split(/[\\/]/u).filter(Boolean).pop() ?? path;
}

export interface MediumReportStepProps {
  report: MediaVerifyView;
  medium: MediaVolumeView;
  onAnother: () => void;
}

export function MediumReportStep({ report, medium, onAnother }: MediumReportStepProps) {
  const t = useT();
  const f = useFormat();
  const name = mediumName(medium);
  const empty = report.items.length === 0;
  return (
    <Stack>
      <StepHeader
        flow={t('flow.verify')}
        step={3}
        of={3}
        title={report.ok ? t('verify.medium.verified') : empty ? t('verify.medium.empty') : t('verify.medium.rejected')}
        happens={report.ok ? t('verify.report.checkOnly') : empty ? t('verify.medium.emptyHappens') : t('verify.medium.rejectedHappens')}
        proven={[
          t('verify.medium.checked', { medium: name, count: report.items.length, seconds: f.number(Math.round(report.seconds * 10) / 10) }),
          ...(report.readBack ? [t('verify.medium.readWith', { method: report.readBack.method, how: t(READ_BACK_TEXT[report.readBack.method]) })] : []),
        ]}
      />
      <Alert
        color={report.ok ? 'green' : 'red'}
        title={
          report.ok
            ? t('verify.medium.allVerified', { medium: name })
            : empty
              ? t('verify.medium.nothing', { medium: name })
              : t('verify.medium.problems', { medium: name })
        }
        role="status"
      >
        <Text size="sm">
          {t('verify.medium.folder')} <Code>{displayText(report.dir)}</Code>
        </Text>
        {report.readBack ? (
          <Text size="sm" data-read-back-method={report.readBack.method}>
            {t('verify.medium.method')} <Code>{report.readBack.method}</Code>{' '}
            {report.readBack.bypassesCache ? t('verify.medium.bypass') : t('verify.medium.cache')}
          </Text>
        ) : null}
      </Alert>
      {report.readBack && !report.readBack.bypassesCache ? <StatusText tone="warn">{displayText(report.readBack.detail)}</StatusText> : null}
      {!empty ? (
        <Table withTableBorder aria-label={t('verify.medium.table')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('verify.medium.bundle')}</Table.Th>
              <Table.Th>{t('verify.medium.checkedWhat')}</Table.Th>
              <Table.Th>{t('verify.medium.result')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.items.map((item) => {
              const bundleName = displayText(item.result.bundle.name ?? baseName(item.file));
              const checked =
                item.kind === 'bundle'
                  ? item.result.bundle.files === 1
                    ? t('verify.medium.oneFile')
                    : t('verify.medium.allFiles', { files: item.result.bundle.files })
                  : item.reassembled
                    ? t('verify.medium.reassembled', { parts: item.result.parts?.count ?? '?', files: item.result.bundle.files })
                    : t('verify.medium.partsHere', { parts: item.result.parts?.count ?? '?', volumes: item.result.parts?.volumes ?? '?' });
              return (
                <Table.Tr key={item.file} aria-label={t('verify.medium.rowLabel', { name: bundleName })}>
                  <Table.Td>
                    <Stack gap={4}>
                      <Text size="sm" fw={600}>
                        {bundleName}
                      </Text>
                      <Code>{displayText(baseName(item.file))}</Code>
                      {item.result.signers.map((s) => (
                        <SignerCard key={s.fingerprint} signer={s} />
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{checked}</Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge tone={item.ok ? 'pass' : 'fail'} variant="filled">
                      {item.ok ? t('verify.medium.ok') : t('verify.medium.bad')}
                    </StatusBadge>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}
      <ProblemList problems={report.problems} />
      {report.warnings.length > 0 ? (
        <Alert color="yellow" title={t('verify.medium.notes')}>
          <List size="sm">
            {report.warnings.map((w, i) => (
              <List.Item key={i}>{displayText(w)}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      <MediumReceipts receipt={report.receipt} />
      {report.ok ? <EjectMedium medium={medium} /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onAnother}>
          {t('verify.medium.another')}
        </Button>
      </Group>
    </Stack>
  );
}
