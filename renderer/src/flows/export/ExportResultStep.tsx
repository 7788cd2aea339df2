/** Export step 6: what was written and who signed it; on a medium, what reading it back proved, and Eject. */
import { Alert, Button, Code, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { ExportReport, MediaVolumeView } from '../../../../shared/ipc.js';
import { EjectMedium } from '../../components/EjectMedium.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { ImagesTable } from '../../components/ImagesTable.js';
import { mediumName, READ_BACK_TEXT } from '../../components/media.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';

export interface ExportResultStepProps {
  result: ExportReport;
  /** The medium written to, as it was chosen; null for a folder. */
  medium?: MediaVolumeView | null;
  /** The media after the first, for a bundle finished over several (volume 2, 3, ...). */
  moreMedia?: MediaVolumeView[];
  onDone: () => void;
}

/** The images the bundle carries, each layer stored once; what a receipt let it leave out; images charts name. */
function ExportedImagesSection({ images }: { images: NonNullable<ExportReport['images']> }) {
  const t = useT();
  const f = useFormat();
  const named = images.chartImages.filter((c) => c.images.length > 0);
  return (
    <Stack gap="xs">
      <Title order={3}>{t('export.result.imagesTitle')}</Title>
      <Text size="sm">
        {images.skippedBlobs > 0
          ? t('export.result.blobsSkipped', { stored: images.storedBlobs, skipped: images.skippedBlobs, size: f.bytes(images.skippedBytes) })
          : t('export.result.blobs', { stored: images.storedBlobs })}
      </Text>
      <ImagesTable images={images.images} />
      {named.length > 0 ? (
        <Alert color="yellow" title={t('export.result.chartImages')}>
          <Text size="sm">{t('export.result.chartImagesText')}</Text>
          <List size="sm" aria-label={t('export.result.chartImages')}>
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

export function ExportResultStep({ result, medium = null, moreMedia = [], onDone }: ExportResultStepProps) {
  const t = useT();
  const f = useFormat();
  const media = result.media;
  // The media that hold a volume (a bundle that fit on the first leaves the others untouched): each gets its Eject.
  const written = medium === null ? [] : [medium, ...moreMedia].slice(0, Math.max(1, media?.volumes.length ?? 1));
  const readBacks = media?.volumes.flatMap((v) => (v.readBack ? [v.readBack] : [])) ?? [];
  const allBypass = readBacks.length > 0 && readBacks.every((r) => r.bypassesCache);
  const proven = [t('export.result.hashedTwice'), t('export.result.signed'), media ? t('export.result.flushedMedium') : t('export.result.flushedDisk')];
  if (media?.readBackOk) {
    proven.push(
      allBypass
        ? t('export.result.readBackBypass', {
            files: readBacks.reduce((n, r) => n + r.files.length, 0),
            size: f.bytes(readBacks.reduce((n, r) => n + r.bytes, 0)),
          })
        : t('export.result.readBackCache'),
    );
  }
  return (
    <Stack>
      <StepHeader
        flow={t('flow.export')}
        step={6}
        of={6}
        title={media ? t('export.result.titleMedium') : t('export.result.title')}
        happens={media ? t('export.result.happensMedium') : t('export.result.happens')}
        proven={proven}
      />
      <Alert
        color="green"
        title={
          media
            ? t('export.result.exportedTo', { medium: written.length > 0 ? written.map(mediumName).join(', ') : t('export.result.theMedium') })
            : t('export.result.exported')
        }
        role="status"
      >
        <Code>{displayText(result.bundlePath)}</Code>
      </Alert>
      <Table withTableBorder variant="vertical" aria-label={t('export.result.table')}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={180}>{t('export.result.bundleFile')}</Table.Th>
            <Table.Td>{displayText(result.bundlePath)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('export.result.bundleId')}</Table.Th>
            <Table.Td>{result.uuid}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('export.result.sequence')}</Table.Th>
            <Table.Td>{result.sequence}</Table.Td>
          </Table.Tr>
          {result.channel ? (
            <Table.Tr data-testid="export-channel">
              <Table.Th>{t('channel.label')}</Table.Th>
              <Table.Td>{t('heartbeat.sequence', { channel: result.channel.channel, sequence: result.channel.sequence })}</Table.Td>
            </Table.Tr>
          ) : null}
          <Table.Tr>
            <Table.Th>{t('export.result.files')}</Table.Th>
            <Table.Td>{t('export.result.filesValue', { files: result.files, size: f.bytes(result.bytes), onDisk: f.bytes(result.bundleBytes) })}</Table.Td>
          </Table.Tr>
          {result.signers.map((s) => (
            <Table.Tr key={s.fingerprint}>
              <Table.Th>{t('export.result.signedBy')}</Table.Th>
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
                <Table.Th>{t('export.result.onMedium')}</Table.Th>
                <Table.Td>
                  {media.split ? t('export.result.parts', { parts: media.parts }) : t('export.result.oneFile')}
                  <List size="sm" aria-label={t('export.result.mediumFiles')}>
                    {media.files.map((file) => (
                      <List.Item key={file.path}>
                        <Code>{displayText(file.path)}</Code> {f.bytes(file.size)}
                      </List.Item>
                    ))}
                  </List>
                </Table.Td>
              </Table.Tr>
              {media.volumes.map((v) => (
                <Table.Tr key={v.number}>
                  <Table.Th>{t('export.result.readBack')}</Table.Th>
                  <Table.Td data-read-back-method={v.readBack?.method ?? 'none'}>
                    {v.readBack ? (
                      <Stack gap={2}>
                        <Text size="sm">
                          {t(v.readBack.ok ? 'export.result.matches' : 'export.result.mismatch', {
                            files: v.readBack.files.length,
                            size: f.bytes(v.readBack.bytes),
                            seconds: f.number(Math.round(v.readBack.seconds * 10) / 10),
                          })}
                        </Text>
                        <Text size="sm">
                          {t('export.result.method')} <Code>{v.readBack.method}</Code> — {t(READ_BACK_TEXT[v.readBack.method])}.
                        </Text>
                        <Text size="xs" c="dimmed">
                          {displayText(v.readBack.methodDetail)}
                        </Text>
                      </Stack>
                    ) : (
                      t('export.result.notReadBack')
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </>
          ) : null}
          {result.receipt ? (
            <Table.Tr>
              <Table.Th>{t('export.result.receipt')}</Table.Th>
              <Table.Td>{displayText(result.receipt.html)}</Table.Td>
            </Table.Tr>
          ) : null}
          {/* The PDF is the one for the paper file: say where it is, not only the HTML beside it. */}
          {result.receipt?.pdf ? (
            <Table.Tr>
              <Table.Th>{t('export.result.receiptPdf')}</Table.Th>
              <Table.Td>{displayText(result.receipt.pdf)}</Table.Td>
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
      {result.images ? <ExportedImagesSection images={result.images} /> : null}
      {media && readBacks.some((r) => !r.bypassesCache) ? (
        <Alert color="yellow" title={t('export.result.cacheTitle')}>
          <Text size="sm">{t('export.result.cacheText')}</Text>
        </Alert>
      ) : null}
      {result.warnings.length > 0 ? (
        <Alert color="yellow" title={t('export.result.warnings')}>
          <List size="sm">
            {result.warnings.map((w) => (
              <List.Item key={`${w.path}-${w.message}`}>
                {displayText(w.path)}: {displayText(w.message)}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {media?.readBackOk ? written.map((m) => <EjectMedium key={m.id} medium={m} />) : null}
      <Group justify="flex-end">
        <Button onClick={onDone}>{t('export.result.again')}</Button>
      </Group>
    </Stack>
  );
}
