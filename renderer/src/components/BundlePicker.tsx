/** Choosing the bundle file to verify or import (media detection will add a list here later). */
import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from './ErrorAlert.js';

export function BundlePicker({ value, onChange }: { value: string | null; onChange: (path: string) => void }) {
  const api = useApi();
  const [error, setError] = useState<IpcError | null>(null);
  const choose = async () => {
    setError(null);
    try {
      const { path } = await call(api, 'chooseBundle', {});
      if (path !== null) onChange(path);
    } catch (e) {
      setError(asIpcError(e));
    }
  };
  return (
    <Stack gap="sm">
      <Group>
        <Button variant={value ? 'default' : 'filled'} onClick={() => void choose()}>
          {value ? 'Choose another bundle…' : 'Choose bundle…'}
        </Button>
        {value ? (
          <Text size="sm" aria-label="Chosen bundle">
            <Code>{displayText(value)}</Code>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            No bundle chosen yet (a file named NAME.airlock.tar).
          </Text>
        )}
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}
