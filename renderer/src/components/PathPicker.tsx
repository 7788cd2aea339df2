/** A path chosen in a native dialog, shown escaped, with the dialog's failure (if any) and its next step. */
import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError } from '../../../shared/ipc.js';
import { asIpcError } from '../api.js';
import { ErrorAlert } from './ErrorAlert.js';

export interface PathPickerProps {
  /** What is picked, in the button and the label: "bundle", "folder". */
  noun: string;
  /** Shown while nothing is chosen. */
  emptyText: string;
  value: string | null;
  onChange: (path: string) => void;
  /** Opens the dialog; null when the operator cancelled it. */
  choose: () => Promise<string | null>;
}

export function PathPicker({ noun, emptyText, value, onChange, choose }: PathPickerProps) {
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
          {value ? `Choose another ${noun}…` : `Choose ${noun}…`}
        </Button>
        {value ? (
          <Text size="sm" aria-label={`Chosen ${noun}`}>
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
