/** An export of images only has no files to list. */
const NO_FILES: SelectionSummary = { items: [], totalFiles: 0, totalBytes: 0, warnings: [], truncated: false };

/** Export step 2: what the selection holds, its totals, and what the export will refuse or leave out. */
import { Alert, Button, Group, List, Loader, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError, SelectionSummary } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';
import { carriesImages, type ImageChoice } from './image-choice.js';
import { ImageChoiceSummary } from './ImageChoiceSummary.js';

export interface ReviewStepProps {
  selection: string[];
  images: ImageChoice;
  onBack: () => void;
  onNext: (summary: SelectionSummary) => void;
}

export function ReviewStep({ selection, images, onBack, onNext }: ReviewStepProps) {
  const api = useApi();
  const t = useT();
  const f = useFormat();
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
      <StepHeader flow={t('flow.export')} step={2} of={6} title={t('export.review.title')} happens={t('export.review.happens')} />
      {error ? <ErrorAlert error={error} /> : null}
      {!summary && !error ? (
        // In words, as MediaCount says it: a Loader's span may not carry an aria-label (axe: aria-prohibited-attr).
        <Group gap="xs" role="status">
          <Loader size="xs" aria-hidden />
          <Text size="sm">{t('export.review.listing')}</Text>
        </Group>
      ) : null}
      {summary && summary.items.length > 0 ? (
        <>
          <Table withTableBorder striped aria-label={t('export.review.table')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('export.review.name')}</Table.Th>
                <Table.Th>{t('export.review.kind')}</Table.Th>
                <Table.Th ta="right">{t('export.review.files')}</Table.Th>
                <Table.Th ta="right">{t('export.review.size')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {summary.items.map((item) => (
                <Table.Tr key={item.path}>
                  <Table.Td title={displayText(item.path)}>{displayText(item.name)}</Table.Td>
                  <Table.Td>{t(`export.review.kind.${item.kind}`)}</Table.Td>
                  <Table.Td ta="right">{f.number(item.files)}</Table.Td>
                  <Table.Td ta="right">{f.bytes(item.bytes)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>{t('export.review.total')}</Table.Th>
                <Table.Th />
                <Table.Th ta="right">{f.number(summary.totalFiles)}</Table.Th>
                <Table.Th ta="right">{f.bytes(summary.totalBytes)}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
          {summary.truncated ? (
            <Text size="sm" c="dimmed">
              {t('export.review.truncated')}
            </Text>
          ) : null}
          {blocking.length > 0 ? (
            <Alert color="red" title={t('export.review.refused')} role="alert">
              <List size="sm">
                {blocking.map((w) => (
                  <List.Item key={`${w.path}-${w.message}`}>
                    {displayText(w.path)}: {displayText(w.message)}
                  </List.Item>
                ))}
              </List>
              <Text size="sm" mt="xs">
                {t('export.review.refusedNext')}
              </Text>
            </Alert>
          ) : null}
          {notes.length > 0 ? (
            <Alert color="yellow" title={t('export.review.notes')}>
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
          {t('flow.back')}
        </Button>
        <Button onClick={() => summary && onNext(summary)} disabled={!summary || blocking.length > 0 || (summary.totalFiles === 0 && !carriesImages(images))}>
          {t('export.review.next')}
        </Button>
      </Group>
    </Stack>
  );
}
