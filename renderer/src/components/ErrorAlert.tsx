/** An operational error: its code (never translated), its message in the app's language, and what to do next. */
import { Alert, Code, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError } from '../../../shared/ipc.js';
import { useSharedText } from '../i18n/shared-text.js';
import { useT } from '../i18n/useT.js';

export function ErrorAlert({ error, title }: { error: IpcError; title?: string }) {
  const t = useT();
  const text = useSharedText();
  const cancelled = error.code === 'CANCELLED';
  return (
    <Alert
      color={cancelled ? 'yellow' : 'red'}
      title={title ?? (cancelled ? t('common.error.cancelled') : t('common.error.title'))}
      role="alert"
      data-error-code={error.code}
    >
      <Text size="sm">
        <Code>{error.code}</Code> {displayText(text.errorMessage(error))}
      </Text>
      {error.path ? (
        <Text size="sm" mt={4}>
          {t('common.concerning')} <Code>{displayText(error.path)}</Code>
        </Text>
      ) : null}
      <Text size="sm" mt={4}>
        <Text span fw={600}>
          {t('common.next')}{' '}
        </Text>
        {text.errorAction(error.code)}
      </Text>
    </Alert>
  );
}
