/**
 * Where something goes. Today the one kind of destination is a folder picked in a dialog;
 * removable media (the media issue) become a second list of choices above it, each resolving
 * to a folder path the same way, so the steps that use this need not change.
 */
import { Button, Card, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import { asIpcError, call, useApi } from '../api.js';
import type { IpcError } from '../../../shared/ipc.js';
import { ErrorAlert } from './ErrorAlert.js';

export interface DestinationPickerProps {
  purpose: 'export-destination' | 'import-destination';
  value: string | null;
  onChange: (path: string) => void;
}

export function DestinationPicker({ purpose, value, onChange }: DestinationPickerProps) {
  const api = useApi();
  const [error, setError] = useState<IpcError | null>(null);
  const choose = async () => {
    setError(null);
    try {
      const { path } = await call(api, 'chooseFolder', { purpose });
      if (path !== null) onChange(path);
    } catch (e) {
      setError(asIpcError(e));
    }
  };
  return (
    <Stack gap="sm">
      <Card withBorder padding="sm" aria-label="Removable media">
        <Text size="sm" fw={600}>
          Removable media
        </Text>
        <Text size="sm" c="dimmed">
          Detected USB sticks and disks will be listed here once media support arrives. Until then, choose the folder where the medium is
          mounted, or any other folder.
        </Text>
      </Card>
      <Group>
        <Button variant={value ? 'default' : 'filled'} onClick={() => void choose()}>
          {value ? 'Choose another folder…' : 'Choose folder…'}
        </Button>
        {value ? (
          <Text size="sm" aria-label="Chosen folder">
            <Code>{displayText(value)}</Code>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            No folder chosen yet.
          </Text>
        )}
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}
