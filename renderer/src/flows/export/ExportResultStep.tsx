/** Export step 6: what was written and who signed it; on a medium, what reading it back proved, and Eject. */
import { Alert, Button, Code, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import { formatBytes } from '../../../../shared/format.js';
import type { ExportReport, MediaVolumeView } from '../../../../shared/ipc.js';
import { EjectMedium } from '../../components/EjectMedium.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { ImagesTable } from '../../components/ImagesTable.js';
import { mediumName, READ_BACK_TEXT } from '../../components/media.js';
import { StepHeader } from '../../components/StepHeader.js';

export interface ExportResultStepProps {
  result: ExportReport;
  /** The medium written to, as it was chosen; null for a folder. */
  medium?: MediaVolumeView | null;
  onDone: () => void;
}

/** The images the bundle carries, each layer stored once; what a receipt let it leave out; images charts name. */
function ExportedImagesSection({ images }: { images: NonNullable<ExportReport['images']> }) {
  const named = images.chartImages.filter((c) => c.images.length > 0);
  return (
    <Stack gap="xs">
      <Title order={3}>Images and charts</Title>
      <Text size="sm">
        {images.storedBlobs} blobs stored in the bundle, each once however many images share it
        {images.skippedBlobs > 0
          ? `; ${images.skippedBlobs} blobs (${formatBytes(images.skippedBytes)}) left out because the far side's registry holds them: the import checks they are there before it pushes.`
          : '.'}
      </Text>
      <ImagesTable images={images.images} />
      {named.length > 0 ? (
        <Alert color="yellow" title="Images the charts name">
          <Text size="sm">These charts’ values name images; add them with an image reference if the far side needs them.</Text>
          <List size="sm" aria-label="Images the charts name">
            {named.map((c) => (
              <List.Item key={c.chart}>
                <Code>{displayText(c.chart)}</Code>: {c.images.map((i) => displayText(i)).join(', ')}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </Stack>
  );
}

export function ExportResultStep({ result, medium = null, onDone }: ExportResultStepProps) {
  const media = result.media;
  const readBacks = media?.volumes.flatMap((v) => (v.readBack ? [v.readBack] : [])) ?? [];
  const allBypass = readBacks.length > 0 && readBacks.every((r) => r.bypassesCache);
  const proven = [
    'Every file was hashed twice and did not change while the bundle was written.',
    'The manifest is signed with this station key.',
    media ? 'Every file was flushed to the medium before it got its final name.' : 'The bundle was flushed to disk before it got its final name.',
  ];
  if (media?.readBackOk) {
    proven.push(
      allBypass
        ? `Every file on the medium was read back past the page cache and matches what was written (${readBacks.reduce((n, r) => n + r.files.length, 0)} files, ${formatBytes(readBacks.reduce((n, r) => n + r.bytes, 0))}).`
        : 'Every file on the medium was read back and matches what was written, but the read may have come from the page cache (see below).',
    );
  }
  return (
    <Stack>
      <StepHeader
        flow="Export"
        step={6}
        of={6}
        title={media ? 'Bundle written and read back' : 'Bundle written'}
        happens={
          media
            ? 'Eject the medium and carry it across. The receiving station verifies the signature and every byte before it imports anything.'
            : 'Nothing more: carry the bundle across. The receiving station verifies the signature and every byte before it imports anything.'
        }
        proven={proven}
      />
      <Alert color="green" title={media ? `Exported to ${medium ? mediumName(medium) : 'the medium'}` : 'Exported'} role="status">
        <Code>{displayText(result.bundlePath)}</Code>
      </Alert>
      <Table withTableBorder variant="vertical" aria-label="Export result">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={180}>Bundle file</Table.Th>
            <Table.Td>{displayText(result.bundlePath)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Bundle id</Table.Th>
            <Table.Td>{result.uuid}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Sequence</Table.Th>
            <Table.Td>{result.sequence}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Files</Table.Th>
            <Table.Td>
              {result.files} files, {formatBytes(result.bytes)} ({formatBytes(result.bundleBytes)} on disk)
            </Table.Td>
          </Table.Tr>
          {result.signers.map((s) => (
            <Table.Tr key={s.fingerprint}>
              <Table.Th>Signed by</Table.Th>
              <Table.Td>
                <Stack gap={4}>
                  <Text size="sm">{displayText(s.userIds.join(', '))}</Text>
                  <Fingerprint value={s.fingerprint} />
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
          {media ? (
            <>
              <Table.Tr>
                <Table.Th>On the medium</Table.Th>
                <Table.Td>
                  {media.split ? `${media.parts} parts and a signed volume index:` : 'One file:'}
                  <List size="sm" aria-label="Files written to the medium">
                    {media.files.map((f) => (
                      <List.Item key={f.path}>
                        <Code>{displayText(f.path)}</Code> {formatBytes(f.size)}
                      </List.Item>
                    ))}
                  </List>
                </Table.Td>
              </Table.Tr>
              {media.volumes.map((v) => (
                <Table.Tr key={v.number}>
                  <Table.Th>Read back</Table.Th>
                  <Table.Td data-read-back-method={v.readBack?.method ?? 'none'}>
                    {v.readBack ? (
                      <Stack gap={2}>
                        <Text size="sm">
                          {v.readBack.ok ? 'Matches what was written' : 'Does NOT match what was written'}: {v.readBack.files.length} files,{' '}
                          {formatBytes(v.readBack.bytes)} in {v.readBack.seconds.toFixed(1)} s.
                        </Text>
                        <Text size="sm">
                          Method: <Code>{v.readBack.method}</Code> — {READ_BACK_TEXT[v.readBack.method]}.
                        </Text>
                        <Text size="xs" c="dimmed">
                          {displayText(v.readBack.methodDetail)}
                        </Text>
                      </Stack>
                    ) : (
                      'Not read back.'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </>
          ) : null}
          {result.receipt ? (
            <Table.Tr>
              <Table.Th>Transfer receipt</Table.Th>
              <Table.Td>{displayText(result.receipt.html)}</Table.Td>
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
      {result.images ? <ExportedImagesSection images={result.images} /> : null}
      {media && readBacks.some((r) => !r.bypassesCache) ? (
        <Alert color="yellow" title="The read-back may have come from the page cache">
          <Text size="sm">
            This system could not read the medium past its cache, so the comparison proves what the system holds, not necessarily what is on the medium. Verify
            the medium on another station (Verify → A whole medium) before relying on it.
          </Text>
        </Alert>
      ) : null}
      {result.warnings.length > 0 ? (
        <Alert color="yellow" title="Warnings">
          <List size="sm">
            {result.warnings.map((w) => (
              <List.Item key={`${w.path}-${w.message}`}>
                {displayText(w.path)}: {displayText(w.message)}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {media?.readBackOk && medium ? <EjectMedium medium={medium} /> : null}
      <Group justify="flex-end">
        <Button onClick={onDone}>Export something else</Button>
      </Group>
    </Stack>
  );
}
