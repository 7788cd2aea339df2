/** An export of images only has no files to list. */
const NO_FILES: SelectionSummary = { items: [], totalFiles: 0, totalBytes: 0, warnings: [], truncated: false };

/** Export step 2: what the selection holds, its totals, and what the export will refuse or leave out. */
import { Alert, Button, Group, List, Loader, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import { formatBytes } from '../../../../shared/format.js';
import type { IpcError, SelectionSummary } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { StepHeader } from '../../components/StepHeader.js';
import { carriesImages, type ImageChoice } from './image-choice.js';
import { ImageChoiceSummary } from './ImageChoiceSummary.js';

const KIND_LABEL = { file: 'File', folder: 'Folder', other: 'Not a file', missing: 'Missing' } as const;

export interface ReviewStepProps {
  selection: string[];
  images: ImageChoice;
  onBack: () => void;
  onNext: (summary: SelectionSummary) => void;
}

export function ReviewStep({ selection, images, onBack, onNext }: ReviewStepProps) {
  const api = useApi();
  const [summary, setSummary] = useState<SelectionSummary | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    let active = true;
    if (selection.length === 0) {
      setSummary(NO_FILES);
      return;
    }
    call(api, 'summarizeSelection', { paths: selection })
      .then((s) => active && setSummary(s))
      .catch((e: unknown) => active && setError(asIpcError(e)));
    return () => {
      active = false;
    };
  }, [api, selection]);

  const blocking = summary?.warnings.filter((w) => w.blocking) ?? [];
  const notes = summary?.warnings.filter((w) => !w.blocking) ?? [];
  return (
    <Stack>
      <StepHeader
        flow="Export"
        step={2}
        of={6}
        title="Review the selection"
        happens="Check what will be sent. The files are only listed here; they are read when the bundle is written."
      />
      {error ? <ErrorAlert error={error} /> : null}
      {!summary && !error ? <Loader aria-label="Listing the selection" /> : null}
      {summary && summary.items.length > 0 ? (
        <>
          <Table withTableBorder striped aria-label="Selection">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th ta="right">Files</Table.Th>
                <Table.Th ta="right">Size</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {summary.items.map((item) => (
                <Table.Tr key={item.path}>
                  <Table.Td title={displayText(item.path)}>{displayText(item.name)}</Table.Td>
                  <Table.Td>{KIND_LABEL[item.kind]}</Table.Td>
                  <Table.Td ta="right">{item.files}</Table.Td>
                  <Table.Td ta="right">{formatBytes(item.bytes)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>Total</Table.Th>
                <Table.Th />
                <Table.Th ta="right">{summary.totalFiles}</Table.Th>
                <Table.Th ta="right">{formatBytes(summary.totalBytes)}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
          {summary.truncated ? (
            <Text size="sm" c="dimmed">
              The selection is very large; the totals above are only what was counted so far.
            </Text>
          ) : null}
          {blocking.length > 0 ? (
            <Alert color="red" title="The export will refuse this selection" role="alert">
              <List size="sm">
                {blocking.map((w) => (
                  <List.Item key={`${w.path}-${w.message}`}>
                    {displayText(w.path)}: {displayText(w.message)}
                  </List.Item>
                ))}
              </List>
              <Text size="sm" mt="xs">
                Next: go back and remove these items; bundles carry plain files only.
              </Text>
            </Alert>
          ) : null}
          {notes.length > 0 ? (
            <Alert color="yellow" title="Good to know">
              <List size="sm">
                {notes.map((w) => (
                  <List.Item key={`${w.path}-${w.message}`}>
                    {displayText(w.path)}: {displayText(w.message)}
                  </List.Item>
                ))}
              </List>
            </Alert>
          ) : null}
        </>
      ) : null}
      <ImageChoiceSummary choice={images} />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={() => summary && onNext(summary)} disabled={!summary || blocking.length > 0 || (summary.totalFiles === 0 && !carriesImages(images))}>
          Next: destination
        </Button>
      </Group>
    </Stack>
  );
}
