/**
 * The channel stamp in bag-info.txt (docs/bundle-format.md §17, docs/channels.md): written by the
 * sender, read by the receiver. Parsing is strict and fail-closed: a stamp the receiver cannot read
 * exactly (a repeated label, `+1`, `007`, Unicode digits, an upper-case or short hash, an unknown
 * bundle kind) is CHANNEL_STAMP_INVALID, never guessed at: the numbers decide what is missing.
 */
import { CHANNEL_BAG_INFO, CHANNEL_NAME_PATTERN, type ChannelStamp } from '../../../shared/channels.js';
import type { BagInfo } from '../bundle/bag-info.js';

/** The one bundle kind besides an ordinary transfer (which carries no kind field). */
export const HEARTBEAT_KIND = 'heartbeat';

/** `none` stands for "no previous bundle" on the first bundle of a channel. */
export const NO_PREVIOUS = 'none';

/** 1 to 999,999,999,999,999: ASCII digits, no sign, no leading zero; always a safe integer. */
const SEQUENCE_TEXT = /^[1-9][0-9]{0,14}$/u;
const SHA256_HEX = /^[0-9a-f]{64}$/u;

export type ChannelStampParse = { kind: 'none' } | { kind: 'stamp'; stamp: ChannelStamp } | { kind: 'invalid'; reason: string };

/** The bag-info fields that carry a stamp, in the order the sender writes them. */
export function channelBagInfo(stamp: ChannelStamp): BagInfo {
  assertWritable(stamp);
  const fields: BagInfo = [
    { label: CHANNEL_BAG_INFO.channel, value: stamp.channel },
    { label: CHANNEL_BAG_INFO.sequence, value: String(stamp.sequence) },
    { label: CHANNEL_BAG_INFO.previous, value: stamp.previousTagManifestSha256 ?? NO_PREVIOUS },
  ];
  if (stamp.heartbeat) fields.push({ label: CHANNEL_BAG_INFO.kind, value: HEARTBEAT_KIND });
  return fields;
}

/** What bag-info says of the channel: nothing, a well-formed stamp, or why it is malformed. */
export function parseChannelStamp(info: BagInfo): ChannelStampParse {
  const values: Partial<Record<keyof typeof CHANNEL_BAG_INFO, string>> = {};
  for (const key of Object.keys(CHANNEL_BAG_INFO) as Array<keyof typeof CHANNEL_BAG_INFO>) {
    const label = CHANNEL_BAG_INFO[key].toLowerCase();
    const found = info.filter((field) => field.label.toLowerCase() === label);
    if (found.length > 1) return invalid(`${CHANNEL_BAG_INFO[key]} appears ${found.length} times; it may appear once`);
    if (found[0] !== undefined) values[key] = found[0].value;
  }
  const { channel, sequence, previous, kind } = values;
  if (channel === undefined && sequence === undefined && previous === undefined && kind === undefined) return { kind: 'none' };
  if (kind !== undefined && kind !== HEARTBEAT_KIND)
    return invalid(`${CHANNEL_BAG_INFO.kind} is "${printable(kind)}"; the only kind this Airlock knows is "${HEARTBEAT_KIND}"`);
  if (channel === undefined || sequence === undefined || previous === undefined)
    return invalid(`a channel stamp needs ${CHANNEL_BAG_INFO.channel}, ${CHANNEL_BAG_INFO.sequence} and ${CHANNEL_BAG_INFO.previous} together`);
  if (!CHANNEL_NAME_PATTERN.test(channel)) return invalid(`${CHANNEL_BAG_INFO.channel} "${printable(channel)}" is not a channel name`);
  if (!SEQUENCE_TEXT.test(sequence))
    return invalid(`${CHANNEL_BAG_INFO.sequence} "${printable(sequence)}" is not a whole number from 1 written in ASCII digits without a sign or leading zero`);
  const number = Number(sequence);
  if (!Number.isSafeInteger(number)) return invalid(`${CHANNEL_BAG_INFO.sequence} ${sequence} is too large`);
  if (number === 1 && previous !== NO_PREVIOUS) return invalid(`the first bundle of a channel (sequence 1) must name no previous bundle ("${NO_PREVIOUS}")`);
  if (number > 1 && !SHA256_HEX.test(previous))
    return invalid(`${CHANNEL_BAG_INFO.previous} "${printable(previous)}" is not a SHA-256 in lower-case hex (sequence ${sequence} has a previous bundle)`);
  return {
    kind: 'stamp',
    stamp: { channel, sequence: number, previousTagManifestSha256: number === 1 ? null : previous, heartbeat: kind === HEARTBEAT_KIND },
  };
}

/** A stamp this station is about to sign must be one parseChannelStamp reads back as the same stamp. */
function assertWritable(stamp: ChannelStamp): void {
  const first = stamp.sequence === 1;
  const ok =
    CHANNEL_NAME_PATTERN.test(stamp.channel) &&
    Number.isSafeInteger(stamp.sequence) &&
    stamp.sequence >= 1 &&
    SEQUENCE_TEXT.test(String(stamp.sequence)) &&
    (first ? stamp.previousTagManifestSha256 === null : SHA256_HEX.test(stamp.previousTagManifestSha256 ?? ''));
  if (!ok) throw new Error(`Refusing to write a malformed channel stamp: ${JSON.stringify(stamp)}`);
}

function invalid(reason: string): ChannelStampParse {
  return { kind: 'invalid', reason };
}

/** A hostile value shown in a message: bounded, control characters escaped. */
function printable(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown).slice(1, -1);
}
