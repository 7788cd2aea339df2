import type { ChannelStamp } from '../../../shared/channels.js';
import { parseBagInfo } from '../bundle/bag-info.js';
import { BAG_INFO_NAME } from '../bundle/format.js';
import { AirlockError } from '../errors.js';
import { parseChannelStamp } from './channel-stamp.js';

/**
 * The channel stamp a staged (two-person) export signed at prepare, read back from its bag-info:
 * what finish must confirm is still the channel's next number. null: no channel.
 */
export function preparedChannelStamp(tagFiles: ReadonlyArray<{ name: string; bytes: Buffer }>): ChannelStamp | null {
  const bagInfo = tagFiles.find((t) => t.name === BAG_INFO_NAME);
  if (!bagInfo) return null;
  const parsed = parseBagInfo(bagInfo.bytes.toString('utf8'));
  if (!parsed.ok) return null;
  const stamp = parseChannelStamp(parsed.info);
  if (stamp.kind === 'invalid') throw new AirlockError('STAGED_INVALID', `Its channel stamp is malformed: ${stamp.reason}.`);
  return stamp.kind === 'stamp' ? stamp.stamp : null;
}
