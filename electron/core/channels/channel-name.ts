import { channelNameRefusal } from '../../../shared/channels.js';
import { AirlockError } from '../errors.js';

/** Throws CHANNEL_NAME_INVALID for a name the shared rule refuses (shared/channels.ts): the CLI's path and main's alike. */
export function assertChannelName(channel: string): void {
  const refusal = channelNameRefusal(channel);
  if (refusal !== null) throw new AirlockError('CHANNEL_NAME_INVALID', refusal);
}
