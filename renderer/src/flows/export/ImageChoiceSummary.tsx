/** What the export will carry besides files: each image reference, the list file, the charts, the platforms and the receipt. */
import { Code, Stack, Table, Text, Title } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import { carriesImages, type ImageChoice } from './image-choice.js';

export function ImageChoiceSummary({ choice }: { choice: ImageChoice }) {
  if (!carriesImages(choice)) return null;
  const rows: Array<{ kind: string; text: string }> = [
    ...choice.images.map((text) => ({ kind: 'Image', text })),
    ...(choice.imagesFrom === null ? [] : [{ kind: 'Image list file', text: choice.imagesFrom }]),
    ...choice.charts.map((text) => ({ kind: 'Helm chart', text })),
  ];
  return (
    <Stack gap="xs">
      <Title order={3}>Images and charts</Title>
      <Table withTableBorder striped aria-label="Images and charts to send">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={160}>Kind</Table.Th>
            <Table.Th>Reference or file</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={`${row.kind}-${row.text}`}>
              <Table.Td>{row.kind}</Table.Td>
              <Table.Td>
                <Code translate="no">{displayText(row.text)}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm">Platforms: {choice.platforms === 'all' ? 'all that each image has' : <Code translate="no">{choice.platforms.join(', ')}</Code>}.</Text>
      {choice.skipBlobsIn !== null ? (
        <Text size="sm">
          Blobs the far side’s registry holds, as its receipt <Code translate="no">{displayText(choice.skipBlobsIn)}</Code> lists them, are left out (the
          receipt’s signature is checked first).
        </Text>
      ) : null}
      <Text size="sm" c="dimmed">
        Images are read, and their sizes known, when the bundle is written; every layer is checked against its digest on the way in.
      </Text>
    </Stack>
  );
}
