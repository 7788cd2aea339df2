/**
 * A channel name for an export or a heartbeat (docs/channels.md): the name rules checked as the
 * operator types (the engine checks them again: CHANNEL_NAME_INVALID), and, for a valid name, the
 * number the next bundle on it will carry and what it links back to, asked of main (read only:
 * the export takes its number when it starts, so another export in between moves it on).
 */
import { Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { CHANNEL_NAME_PATTERN, type ChannelStamp } from '../../../shared/channels.js';
import type { IpcError } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { useT } from '../i18n/useT.js';
import { ErrorAlert } from './ErrorAlert.js';

/** How long typing may pause before the next number is asked for. */
const LOOKUP_DELAY_MS = 250;

export function channelNameValid(channel: string): boolean {
  return CHANNEL_NAME_PATTERN.test(channel);
}

export interface ChannelFieldProps {
  value: string;
  onChange: (channel: string) => void;
  /** A heartbeat needs a channel; an export may go without one. */
  required?: boolean;
}

export function ChannelField({ value, onChange, required = false }: ChannelFieldProps) {
  const api = useApi();
  const t = useT();
  const [next, setNext] = useState<ChannelStamp | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const valid = channelNameValid(value);

  useEffect(() => {
    setNext(null);
    setError(null);
    if (!valid) return undefined;
    let active = true;
    const timer = setTimeout(() => {
      call(api, 'nextChannelStamp', { channel: value }).then(
        (stamp) => active && setNext(stamp),
        (e: unknown) => active && setError(asIpcError(e)),
      );
    }, LOOKUP_DELAY_MS);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [api, value, valid]);

  return (
    <>
      <TextInput
        label={t('channel.label')}
        description={t(required ? 'channel.help.required' : 'channel.help.optional')}
        value={value}
        required={required}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onChange(event.currentTarget.value)}
        error={value !== '' && !valid ? t('channel.invalid') : null}
      />
      {next && next.channel === value ? (
        <Text size="sm" role="status" data-testid="channel-next" data-sequence={next.sequence}>
          {next.previousTagManifestSha256 === null
            ? t('channel.next.first', { channel: next.channel, sequence: next.sequence })
            : t('channel.next.after', { channel: next.channel, sequence: next.sequence, previous: `${next.previousTagManifestSha256.slice(0, 12)}…` })}
        </Text>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </>
  );
}
