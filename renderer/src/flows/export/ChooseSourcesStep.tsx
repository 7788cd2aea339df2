/** Export step 1: pick files and folders by dialog or by dropping them on the window, and images or charts beside them. */
import { ActionIcon, Button, Code, Divider, Group, List, Paper, Stack, Text } from '@mantine/core';
import { useState, type DragEvent } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useT } from '../../i18n/useT.js';
import { carriesImages, platformsIncomplete, type ImageChoice } from './image-choice.js';
import { ImageSourcesPanel } from './ImageSourcesPanel.js';
import { StatusText } from '../../components/StatusIcon.js';

export interface ChooseSourcesStepProps {
  selection: string[];
  onChange: (selection: string[]) => void;
  images: ImageChoice;
  onImagesChange: (images: ImageChoice) => void;
  onNext: () => void;
}

export function ChooseSourcesStep({ selection, onChange, images, onImagesChange, onNext }: ChooseSourcesStepProps) {
  const api = useApi();
  const t = useT();
  const [error, setError] = useState<IpcError | null>(null);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const add = (paths: readonly string[]) => onChange([...new Set([...selection, ...paths])]);
  const pick = async (kind: 'files' | 'folders') => {
    setError(null);
    try {
      add((await call(api, 'chooseExportSources', { kind })).paths);
    } catch (e) {
      setError(asIpcError(e));
    }
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    const paths = files.map((f) => api.pathForDroppedFile(f)).filter((p): p is string => p !== null);
    setDropNote(paths.length < files.length ? t('export.sources.dropNoPath') : null);
    add(paths);
  };

  return (
    <Stack>
      <StepHeader flow={t('flow.export')} step={1} of={6} title={t('export.sources.title')} happens={t('export.sources.happens')} />
      <Group>
        <Button onClick={() => void pick('files')}>{t('export.sources.addFiles')}</Button>
        <Button onClick={() => void pick('folders')}>{t('export.sources.addFolders')}</Button>
      </Group>
      <Paper
        withBorder
        p="lg"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{ borderStyle: 'dashed', background: dragging ? 'var(--mantine-color-default-hover)' : undefined }}
        aria-label={t('export.sources.dropZone')}
        data-testid="drop-zone"
      >
        <Text ta="center" c="dimmed" size="sm">
          {t('export.sources.dropHint')}
        </Text>
      </Paper>
      {dropNote ? <StatusText tone="warn">{dropNote}</StatusText> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {selection.length > 0 ? (
        <List spacing={4} listStyleType="none" pl={0} aria-label={t('export.sources.selected')}>
          {selection.map((path) => (
            <List.Item key={path}>
              <Group gap="xs" wrap="nowrap">
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('export.sources.remove', { path: displayText(path) })}
                  onClick={() => onChange(selection.filter((p) => p !== path))}
                >
                  ×
                </ActionIcon>
                <Code>{displayText(path)}</Code>
              </Group>
            </List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm" c="dimmed">
          {t('export.sources.none')}
        </Text>
      )}
      <Divider />
      <ImageSourcesPanel choice={images} onChange={onImagesChange} />
      <Group justify="flex-end">
        <Button onClick={onNext} disabled={(selection.length === 0 && !carriesImages(images)) || platformsIncomplete(images)}>
          {t('export.sources.next')}
        </Button>
      </Group>
    </Stack>
  );
}
