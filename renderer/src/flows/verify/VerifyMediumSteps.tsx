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
import { plural } from '../../components/plural.js';
import { ProblemList } from '../../components/ProblemList.js';
import { SignerCard } from '../../components/SignerCard.js';
import { StepHeader } from '../../components/StepHeader.js';
import { StatusBadge, StatusText } from '../../components/StatusIcon.js';

export interface ChooseMediumStepProps {
  media: MediaVolumeView[] | null;
  mediumId: string | null;
  onChange: (id: string) => void;
  onVerify: () => void;
}

export function ChooseMediumStep({ media, mediumId, onChange, onVerify }: ChooseMediumStepProps) {
  const chosen = media?.find((v) => v.id === mediumId) ?? null;
  return (
    <Stack>
      <StepHeader
        flow="Verify"
        step={1}
        of={3}
        title="Choose the medium"
        happens="Every bundle on the medium is read back past the page cache and verified: who signed it and every checksum; the parts of a split bundle are checked against its signed volume index. Nothing is written or imported."
      />
      <MediaCount media={media} purpose="read" />
      {media && media.length > 0 ? (
        <Radio.Group value={chosen ? chosen.id : null} onChange={onChange} label="Medium to verify" name="verify-medium">
          <Stack gap="xs" mt="xs">
            {media.map((m) => (
              <MediumRadio key={m.id} medium={m} disabled={m.mountPoint === null} notes={m.mountPoint === null ? ['Not mounted.'] : []} />
            ))}
          </Stack>
        </Radio.Group>
      ) : null}
      {mediumId !== null && media !== null && chosen === null ? (
        <Alert color="yellow" title="The chosen medium is gone" role="alert">
          <Text size="sm">It was removed or unmounted. Insert it again, or choose another medium.</Text>
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button onClick={onVerify} disabled={chosen === null || chosen.mountPoint === null}>
          Verify medium
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
  return (
    <Stack>
      <StepHeader
        flow="Verify"
        step={2}
        of={3}
        title="Verifying the medium"
        happens="Each bundle's signature is checked before its manifest is believed; then every file is read from the medium, past the page cache, and its checksum compared. Nothing is written."
        proven={[`Medium: ${mediumName(medium)}${medium.mountPoint ? ` at ${displayText(medium.mountPoint)}` : ''}`]}
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
  const name = mediumName(medium);
  const empty = report.items.length === 0;
  return (
    <Stack>
      <StepHeader
        flow="Verify"
        step={3}
        of={3}
        title={report.ok ? 'Medium verified' : empty ? 'No bundles on this medium' : 'Medium rejected'}
        happens={
          report.ok
            ? 'Nothing more: this was a check only. Nothing was written.'
            : empty
              ? 'Nothing was checked. Is this the right medium? Airlock looks for NAME.airlock.tar files and split bundles in its top folder.'
              : 'Do not import what is rejected below. Follow the next step given for each problem.'
        }
        proven={[
          `${name}: ${plural(report.items.length, 'bundle')} checked in ${report.seconds.toFixed(1)} s.`,
          ...(report.readBack ? [`Read with ${report.readBack.method}: ${READ_BACK_TEXT[report.readBack.method]}.`] : []),
        ]}
      />
      <Alert
        color={report.ok ? 'green' : 'red'}
        title={report.ok ? `Every bundle on ${name} verified` : empty ? `Nothing to verify on ${name}` : `Problems on ${name}`}
        role="status"
      >
        <Text size="sm">
          Folder: <Code>{displayText(report.dir)}</Code>
        </Text>
        {report.readBack ? (
          <Text size="sm" data-read-back-method={report.readBack.method}>
            Read-back method: <Code>{report.readBack.method}</Code>
            {report.readBack.bypassesCache ? ' (past the page cache)' : ' (the page cache may have answered)'}
          </Text>
        ) : null}
      </Alert>
      {report.readBack && !report.readBack.bypassesCache ? <StatusText tone="warn">{displayText(report.readBack.detail)}</StatusText> : null}
      {!empty ? (
        <Table withTableBorder aria-label="Bundles on the medium">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Bundle</Table.Th>
              <Table.Th>What was checked</Table.Th>
              <Table.Th>Result</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.items.map((item) => {
              const bundleName = displayText(item.result.bundle.name ?? baseName(item.file));
              const checked =
                item.kind === 'bundle'
                  ? `Signature and ${item.result.bundle.files === 1 ? 'the one file' : `all ${item.result.bundle.files} files`}`
                  : item.reassembled
                    ? `All ${item.result.parts?.count ?? '?'} parts against the signed index, then reassembled: signature and all ${item.result.bundle.files} files`
                    : `The parts on this medium against the signed volume index (${item.result.parts?.count ?? '?'} parts on ${item.result.parts?.volumes ?? '?'} volumes)`;
              return (
                <Table.Tr key={item.file} aria-label={`Bundle ${bundleName}`}>
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
                      {item.ok ? 'Verified' : 'Rejected'}
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
        <Alert color="yellow" title="Good to know">
          <List size="sm">
            {report.warnings.map((w, i) => (
              <List.Item key={i}>{displayText(w)}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {report.ok ? <EjectMedium medium={medium} /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onAnother}>
          Verify something else
        </Button>
      </Group>
    </Stack>
  );
}
