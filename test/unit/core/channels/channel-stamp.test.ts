/**
 * The channel stamp in bag-info (docs/bundle-format.md §17): written, read back the same, and
 * every malformed variant refused with a reason (never guessed at).
 */
import { describe, expect, it } from 'vitest';
import { CHANNEL_BAG_INFO } from '../../../../shared/channels.js';
import { formatBagInfo, parseBagInfo, type BagInfo } from '../../../../electron/core/bundle/bag-info.js';
import { channelBagInfo, parseChannelStamp } from '../../../../electron/core/channels/channel-stamp.js';

const HASH = 'a'.repeat(64);

function fields(channel: string, sequence: string, previous: string, extra: BagInfo = []): BagInfo {
  return [
    { label: 'Bagging-Date', value: '2026-12-03' },
    { label: CHANNEL_BAG_INFO.channel, value: channel },
    { label: CHANNEL_BAG_INFO.sequence, value: sequence },
    { label: CHANNEL_BAG_INFO.previous, value: previous },
    ...extra,
  ];
}

/** Through the text form, as a receiver reads it. */
function readBack(info: BagInfo): ReturnType<typeof parseChannelStamp> {
  const parsed = parseBagInfo(formatBagInfo(info));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parseChannelStamp(parsed.info);
}

describe('channel stamp round trip', () => {
  it.each([
    { channel: 'diode-a', sequence: 1, previousTagManifestSha256: null, heartbeat: false },
    { channel: 'feeds.daily', sequence: 2, previousTagManifestSha256: HASH, heartbeat: false },
    { channel: 'x', sequence: 999_999_999_999_999, previousTagManifestSha256: HASH, heartbeat: true },
  ])('writes and reads back %o', (stamp) => {
    expect(readBack(channelBagInfo(stamp))).toEqual({ kind: 'stamp', stamp });
  });

  it('a bag-info without channel fields has no stamp', () => {
    expect(readBack([{ label: 'Bagging-Date', value: '2026-12-03' }])).toEqual({ kind: 'none' });
  });

  it('labels are matched without regard to case, as bag-info labels are', () => {
    const info = fields('c', '1', 'none').map((f) => ({ ...f, label: f.label.toUpperCase() }));
    expect(readBack(info)).toMatchObject({ kind: 'stamp', stamp: { channel: 'c', sequence: 1 } });
  });

  it('refuses to write a stamp it could not read back', () => {
    expect(() => channelBagInfo({ channel: 'Bad Name', sequence: 1, previousTagManifestSha256: null, heartbeat: false })).toThrow();
    expect(() => channelBagInfo({ channel: 'c', sequence: 0, previousTagManifestSha256: null, heartbeat: false })).toThrow();
    expect(() => channelBagInfo({ channel: 'c', sequence: 2, previousTagManifestSha256: null, heartbeat: false })).toThrow();
    expect(() => channelBagInfo({ channel: 'c', sequence: 2 ** 53, previousTagManifestSha256: HASH, heartbeat: false })).toThrow();
  });
});

describe('hostile channel stamps are refused', () => {
  const cases: Array<[string, BagInfo]> = [
    ['leading zero', fields('c', '02', HASH)],
    ['plus sign', fields('c', '+1', 'none')],
    ['minus sign', fields('c', '-1', 'none')],
    ['zero', fields('c', '0', 'none')],
    ['huge number (16 digits)', fields('c', '1000000000000000', HASH)],
    ['beyond 2^53', fields('c', '9007199254740993', HASH)],
    ['exponent', fields('c', '1e3', HASH)],
    ['hex number', fields('c', '0x10', HASH)],
    ['Arabic-Indic digits', fields('c', '\u0662', HASH)],
    ['fullwidth digits', fields('c', '\uff12', HASH)],
    ['inner space', fields('c', '1 2', HASH)],
    ['empty sequence', fields('c', '', 'none')],
    ['non-hex previous', fields('c', '2', 'z'.repeat(64))],
    ['upper-case previous', fields('c', '2', 'A'.repeat(64))],
    ['short previous', fields('c', '2', 'a'.repeat(63))],
    ['long previous', fields('c', '2', 'a'.repeat(65))],
    ['sequence 2 with previous none', fields('c', '2', 'none')],
    ['sequence 1 with a previous hash', fields('c', '1', HASH)],
    ['upper-case channel', fields('Diode', '1', 'none')],
    ['channel with a slash', fields('a/b', '1', 'none')],
    ['channel too long', fields('a'.repeat(65), '1', 'none')],
    ['channel with a bidi control', fields('a\u202eb', '1', 'none')],
    ['missing sequence', fields('c', '1', 'none').filter((f) => f.label !== CHANNEL_BAG_INFO.sequence)],
    ['missing previous', fields('c', '1', 'none').filter((f) => f.label !== CHANNEL_BAG_INFO.previous)],
    ['missing channel', fields('c', '1', 'none').filter((f) => f.label !== CHANNEL_BAG_INFO.channel)],
    ['kind alone', [{ label: CHANNEL_BAG_INFO.kind, value: 'heartbeat' }]],
    ['unknown kind', fields('c', '1', 'none', [{ label: CHANNEL_BAG_INFO.kind, value: 'transfer' }])],
    ['two channel fields', fields('c', '1', 'none', [{ label: CHANNEL_BAG_INFO.channel, value: 'd' }])],
    ['two channel fields differing in case', fields('c', '1', 'none', [{ label: 'airlock-channel', value: 'c' }])],
    ['two sequence fields', fields('c', '1', 'none', [{ label: CHANNEL_BAG_INFO.sequence, value: '1' }])],
    ['two previous fields', fields('c', '2', HASH, [{ label: CHANNEL_BAG_INFO.previous, value: HASH }])],
    [
      'two kind fields',
      fields('c', '1', 'none', [
        { label: CHANNEL_BAG_INFO.kind, value: 'heartbeat' },
        { label: CHANNEL_BAG_INFO.kind, value: 'heartbeat' },
      ]),
    ],
  ];
  it.each(cases)('%s', (_name, info) => {
    const parsed = parseChannelStamp(info);
    expect(parsed.kind).toBe('invalid');
  });

  it('a value continued on the next line is read as one value and refused when it is no number', () => {
    const parsed = parseBagInfo(`${CHANNEL_BAG_INFO.channel}: c\n${CHANNEL_BAG_INFO.sequence}: 1\n 2\n${CHANNEL_BAG_INFO.previous}: ${HASH}\n`);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parseChannelStamp(parsed.info).kind).toBe('invalid');
  });
});
