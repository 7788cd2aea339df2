/** What the export will carry besides files: each image reference, the list file, the charts, the platforms and the receipt. */
import { Code, Stack, Table, Text, Title } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { MessageId } from '../../i18n/en.js';
import { Msg, useT } from '../../i18n/useT.js';
import { carriesImages, type ImageChoice } from './image-choice.js';

export function ImageChoiceSummary({ choice }: { choice: ImageChoice }) {
  const t = useT();
  if (!carriesImages(choice)) return null;
  const rows: Array<{ kind: MessageId; text: string }> = [
    ...choice.images.map((text) => ({ kind: 'xs.kind.image' as const, text })),
    ...(choice.imagesFrom === null ? [] : [{ kind: 'xs.kind.listFile' as const, text: choice.imagesFrom }]),
    ...choice.charts.map((text) => ({ kind: 'xs.kind.chart' as const, text })),
  ];
  return (
    <Stack gap="xs">
      <Title order={3}>{t('xs.title')}</Title>
      <Table withTableBorder striped aria-label={t('xs.table')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={160}>{t('xs.kind')}</Table.Th>
            <Table.Th>{t('xs.reference')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={`${row.kind}-${row.text}`}>
              <Table.Td>{t(row.kind)}</Table.Td>
              <Table.Td>
                <Code translate="no">{displayText(row.text)}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm">
        {choice.platforms === 'all' ? (
          t('xs.platformsAll')
        ) : (
          <>
            {t('xs.platforms')} <Code translate="no">{choice.platforms.join(', ')}</Code>
          </>
        )}
      </Text>
      {choice.skipBlobsIn !== null ? (
        <Text size="sm">
          <Msg id="xs.skip" values={{ file: displayText(choice.skipBlobsIn), code: (chunks) => <Code translate="no">{chunks}</Code> }} />
        </Text>
      ) : null}
      <Text size="sm" c="dimmed">
        {t('xs.note')}
      </Text>
    </Stack>
  );
}
