/**
 * A folder picked in the native dialog: the import destination, and the export's "a folder"
 * choice (removable media are listed by the export's DestinationStep itself).
 */
import { Button, Code, Group, Stack, Text } from '@mantine/core';
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
