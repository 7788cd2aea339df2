/**
 * The receiver's decision table (channels/channel-receive.ts): per signer and channel, what a
 * stamp is against what arrived before, and what the policy decides for each finding.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelStamp } from '../../../../shared/channels.js';
import { checkStamp, recordReceived, releaseReservation, reserveSequence, type StampCheck } from '../../../../electron/core/channels/channel-receive.js';
import { channelStates, missingNumbers } from '../../../../electron/core/channels/channel-state.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import { DEFAULT_CHANNEL_POLICY, resolveChannelPolicy } from '../../../../electron/core/policy/channel-policy.js';

const SIGNER = 'A'.repeat(40);
const OTHER = 'B'.repeat(40);
const h = (n: number): string => n.toString(16).padStart(64, '0');

let dir: string;
let db: StationDb;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-ch-unit-'));
  db = openStationDb(join(dir, 'airlock.db'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

function stamp(sequence: number, previous: string | null = sequence === 1 ? null : h(sequence - 1), heartbeat = false): ChannelStamp {
  return { channel: 'c', sequence, previousTagManifestSha256: previous, heartbeat };
}
function receive(...sequences: number[]): void {
  for (const n of sequences) recordReceived(db, SIGNER, stamp(n), h(n));
}
function codes(check: StampCheck): Array<[string, number, number, string]> {
  return check.findings.map((f) => [f.code, f.expected, f.received, f.decision]);
}

describe('checkStamp', () => {
  it('the first bundle of a channel, then each next one: no finding', () => {
    expect(codes(checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(1), h(1)))).toEqual([]);
    receive(1);
    expect(codes(checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(2), h(2)))).toEqual([]);
  });

  it('first contact in the middle of a channel is a gap from 1', () => {
    const check = checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(4), h(4));
    expect(codes(check)).toEqual([['CHANNEL_GAP', 1, 4, 'warn']]);
    expect(check.missing).toEqual({ numbers: [1, 2, 3], count: 3 });
  });

  it('a gap lists at most 100 numbers and counts them all', () => {
    receive(1);
    const check = checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(1_000_000_000_000), h(9));
    expect(check.missing.numbers).toHaveLength(100);
    expect(check.missing.count).toBe(1_000_000_000_000 - 2);
    expect(check.findings[0]?.message).toContain('in all');
  });

  it('a number below the highest not yet seen fills a gap (reordered); its back-link is checked when the one before is known', () => {
    receive(1, 3);
    expect(codes(checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(2), h(2)))).toEqual([['CHANNEL_REORDERED', 4, 2, 'warn']]);
    expect(codes(checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(2, h(77)), h(2)))).toEqual([
      ['CHANNEL_REORDERED', 4, 2, 'warn'],
      ['CHANNEL_BACKLINK_BROKEN', 4, 2, 'refuse'],
    ]);
  });

  it('the same number again: the same bundle is no finding (the replay guard handles it), another bundle is a duplicate', () => {
    receive(1, 2);
    const same = checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(2), h(2));
    expect(same.sameBundleSeen).toBe(true);
    expect(codes(same)).toEqual([]);
    expect(codes(checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(2), h(99)))).toEqual([['CHANNEL_DUPLICATE', 3, 2, 'refuse']]);
  });

  it('the next number naming another previous bundle is a broken back-link', () => {
    receive(1, 2);
    expect(codes(checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(3, h(55)), h(3)))).toEqual([['CHANNEL_BACKLINK_BROKEN', 3, 3, 'refuse']]);
  });

  it('state is per signer: another signer on the same channel name starts at 1', () => {
    receive(1, 2, 3);
    expect(codes(checkStamp(db, DEFAULT_CHANNEL_POLICY, OTHER, stamp(1), h(1)))).toEqual([]);
  });

  it('the policy decides refuse or warn per finding', () => {
    const policy = resolveChannelPolicy({ gap: 'refuse', duplicate: 'warn', reordered: 'refuse', backlinkBroken: 'warn' });
    receive(1, 3);
    expect(codes(checkStamp(db, policy, SIGNER, stamp(5, null), h(5)))[0]).toEqual(['CHANNEL_GAP', 4, 5, 'refuse']);
    expect(codes(checkStamp(db, policy, SIGNER, stamp(3), h(42)))).toEqual([['CHANNEL_DUPLICATE', 4, 3, 'warn']]);
    expect(codes(checkStamp(db, policy, SIGNER, stamp(2, h(7)), h(2)))).toEqual([
      ['CHANNEL_REORDERED', 4, 2, 'refuse'],
      ['CHANNEL_BACKLINK_BROKEN', 4, 2, 'warn'],
    ]);
  });
});

describe('reservations and state', () => {
  it('a reserved number counts for the next check; released, it is free again', () => {
    receive(1);
    reserveSequence(db, SIGNER, stamp(2), h(2));
    expect(codes(checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(2), h(200)))).toEqual([['CHANNEL_DUPLICATE', 3, 2, 'refuse']]);
    releaseReservation(db, h(2));
    expect(codes(checkStamp(db, DEFAULT_CHANNEL_POLICY, SIGNER, stamp(2), h(200)))).toEqual([]);
  });

  it('missing numbers are the holes below the highest, and the highest never moves down', () => {
    receive(2, 5, 3, 9);
    expect(missingNumbers(db, SIGNER, 'c')).toEqual([1, 4, 6, 7, 8]);
    const [state] = channelStates(db, DEFAULT_CHANNEL_POLICY);
    expect(state).toMatchObject({ signer: SIGNER, channel: 'c', lastSequence: 9, lastTagManifestSha256: h(9), missing: [1, 4, 6, 7, 8], alarm: null });
  });
});
