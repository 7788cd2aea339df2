/**
 * The images and charts a bundle carries, as its signed descriptor and the OCI graph check state
 * them: where each goes (repository:tag), its digest (monospace and never translated: it is
 * compared character by character with the registry's), size, platforms and referrers.
 */
import { Code, Table, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { ImagePlatform, ImageSummary } from '../../../shared/images.js';
import { useFormat } from '../i18n/format.js';
import { useT } from '../i18n/useT.js';

/** `team/app:1.0`, or `team/app@sha256:…` for an image that travels by digest only. */
export function imageName(image: { repository: string; tag: string | null; digest: string }): string {
  return displayText(image.tag === null ? `${image.repository}@${image.digest}` : `${image.repository}:${image.tag}`);
}

export function platformText(p: ImagePlatform): string {
  return displayText([p.os, p.architecture, p.variant].filter((part) => part !== undefined && part !== '').join('/'));
}

export function Digest({ value }: { value: string }) {
  return (
    <Code translate="no" fz="xs" style={{ wordBreak: 'break-all' }} data-digest={value}>
      {displayText(value)}
    </Code>
  );
}

export function ImagesTable({ images }: { images: readonly ImageSummary[] }) {
  const t = useT();
  const f = useFormat();
  return (
    <Table withTableBorder striped aria-label={t('images.table')} data-images={images.length}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('images.image')}</Table.Th>
          <Table.Th>{t('images.digest')}</Table.Th>
          <Table.Th ta="right">{t('images.size')}</Table.Th>
          <Table.Th>{t('images.platforms')}</Table.Th>
          <Table.Th ta="right">{t('images.referrers')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {images.map((image) => (
          <Table.Tr key={`${image.repository}:${image.tag ?? ''}@${image.digest}`} data-image={imageName(image)}>
            <Table.Td>
              <Text size="sm" fw={600} translate="no">
                {imageName(image)}
              </Text>
              <Text size="xs" c="dimmed">
                {image.kind === 'chart' ? t('images.chartFrom') : t('images.imageFrom')} <span translate="no">{displayText(image.source)}</span>
              </Text>
            </Table.Td>
            <Table.Td>
              <Digest value={image.digest} />
            </Table.Td>
            <Table.Td ta="right">{f.bytes(image.size)}</Table.Td>
            <Table.Td translate="no">{image.platforms.length > 0 ? image.platforms.map(platformText).join(', ') : '—'}</Table.Td>
            <Table.Td ta="right" aria-label={t('images.referrerCount', { count: image.referrers.length })}>
              {image.referrers.length}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
