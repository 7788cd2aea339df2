/** A path chosen in a native dialog, shown escaped, with the dialog's failure (if any) and its next step. */
import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError } from '../../../shared/ipc.js';
import { asIpcError } from '../api.js';
import { ErrorAlert } from './ErrorAlert.js';

export interface PathPickerProps {
  /** The button before and after a choice, and the name of what was chosen (from the catalogue). */
  labels: { choose: string; another: string; chosen: string };
  /** Shown while nothing is chosen. */
  emptyText: string;
  value: string | null;
  onChange: (path: string) => void;
  /** Opens the dialog; null when the operator cancelled it. */
  choose: () => Promise<string | null>;
}

export function PathPicker({ labels, emptyText, value, onChange, choose }: PathPickerProps) {
  const [error, setError] = useState<IpcError | null>(null);
  const pick = async () => {
    setError(null);
    try {
      const path = await choose();
      if (path !== null) onChange(path);
    } catch (e) {
      setError(asIpcError(e));
    }
  };
  return (
    <Stack gap="sm">
      <Group>
        <Button variant={value ? 'default' : 'filled'} onClick={() => void pick()}>
          {value ? labels.another : labels.choose}
        </Button>
        {value ? (
          <Text size="sm" aria-label={labels.chosen}>
            <Code>{displayText(value)}</Code>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {emptyText}
          </Text>
        )}
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}
