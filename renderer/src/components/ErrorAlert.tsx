/** An operational error: its code, the human message main sent, and what to do next. */
import { Alert, Code, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import { ERROR_ACTIONS } from '../../../shared/error-actions.js';
import type { IpcError } from '../../../shared/ipc.js';

export function ErrorAlert({ error, title }: { error: IpcError; title?: string }) {
  const cancelled = error.code === 'CANCELLED';
  return (
    <Alert color={cancelled ? 'yellow' : 'red'} title={title ?? (cancelled ? 'Cancelled' : 'This did not work')} role="alert" data-error-code={error.code}>
      <Text size="sm">
        <Code>{error.code}</Code> {displayText(error.message)}
      </Text>
      {error.path ? (
        <Text size="sm" mt={4}>
          Concerning: <Code>{displayText(error.path)}</Code>
        </Text>
      ) : null}
      <Text size="sm" mt={4}>
        <Text span fw={600}>
          Next:{' '}
        </Text>
        {ERROR_ACTIONS[error.code]}
      </Text>
    </Alert>
  );
}
