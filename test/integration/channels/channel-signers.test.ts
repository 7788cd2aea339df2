/**
 * Whose channel a bundle is on (docs/channels.md, "Several signers" and "First contact"): state is
 * per signer fingerprint and channel, and a bundle signed by two trusted keys is on BOTH keys'
 * channels: checked against each, recorded in each (verify, import, `airlock channels`). So a
 * second bundle with a number one of its keys already vouched for is a duplicate, whichever key
 * signed first. And the first bundle a receiver ever sees from a signer on a channel, numbered
 * above 1, is the baseline (CHANNEL_FIRST_CONTACT, the policy's `firstContact`), not a gap from 1.
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStationDb } from '../../../electron/core/db/station-db.js';
import type { ChannelState } from '../../../shared/channels.js';
import type { ChannelReport } from '../../../shared/results.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let alice: TestStation;
let bob: TestStation;
let receiver: TestStation;
let out: string;

interface ImportJson {
  ok: boolean;
  problems: Array<{ code: string }>;
  channel?: ChannelReport;
}

async function publicKey(station: TestStation): Promise<string> {
  const file = join(await makeTemp('airlock-chs-key-'), 'key.asc');
  await writeFile(file, (await station.run(['keys', 'export-public'])).stdout);
  return file;
}

async function source(name: string): Promise<string> {
  const src = join(await makeTemp('airlock-chs-src-'), `${name}.txt`);
  await writeFile(src, `payload of ${name}\n`);
  return src;
}

async function exportOn(station: TestStation, channel: string, name: string): Promise<{ bundlePath: string; tagmanifestSha256: string; sequence: number }> {
  const result = await station.run([
    'export',
    '--out',
    out,
    '--name',
    name,
    '--channel',
    channel,
    '--passphrase-file',
    station.passFile,
    '--json',
    await source(name),
  ]);
  expect(result.code, describeResult(result)).toBe(0);
  const bundle = parseJson<{ bundle: { bundlePath: string; tagmanifestSha256: string; channel: { sequence: number } } }>(result).bundle;
  return { bundlePath: bundle.bundlePath, tagmanifestSha256: bundle.tagmanifestSha256, sequence: bundle.channel.sequence };
}

/** Alice prepares on the channel, Bob approves with his key, Alice finishes: one bundle signed by both. */
async function exportSignedByBoth(channel: string, name: string): Promise<{ bundlePath: string; sequence: number }> {
  const prepared = await alice.run([
    'export',
    '--prepare',
    '--name',
    name,
    '--channel',
    channel,
    '--passphrase-file',
    alice.passFile,
    '--json',
    await source(name),
  ]);
  expect(prepared.code, describeResult(prepared)).toBe(0);
  const stagedDir = parseJson<{ staged: { stagedDir: string } }>(prepared).staged.stagedDir;
  const bobKey = join(bob.home, 'keys', 'station-key.private.asc');
  const approved = await alice.run(['approve', stagedDir, '--key', bobKey, '--passphrase-file', bob.passFile, '--yes', '--json']);
  expect(approved.code, describeResult(approved)).toBe(0);
  const finished = await alice.run(['export', '--finish', stagedDir, '--out', out, '--passphrase-file', alice.passFile, '--json']);
  expect(finished.code, describeResult(finished)).toBe(0);
  const bundle = parseJson<{ bundle: { bundlePath: string; channel: { sequence: number } } }>(finished).bundle;
  return { bundlePath: bundle.bundlePath, sequence: bundle.channel.sequence };
}

async function importInto(station: TestStation, bundle: string, dest: string): Promise<{ code: number; report: ImportJson }> {
  const result = await station.run(['import', '--json', bundle, '--dest', dest]);
  return { code: result.code, report: parseJson<ImportJson>(result) };
}

async function channelsOf(station: TestStation): Promise<ChannelState[]> {
  const result = await station.run(['channels', '--json']);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<{ channels: ChannelState[] }>(result).channels;
}

/** Bob's own station set to continue Alice's channel after her sequence `sequence` (a second sender with its own key on the same numbers). */
function continueAfter(station: TestStation, channel: string, sequence: number, tagmanifestSha256: string): void {
  const db = openStationDb(join(station.home, 'airlock.db'));
  try {
    db.prepare('INSERT INTO channel_send (channel, sequence, tagmanifest_sha256, bundle_uuid, at) VALUES (?, ?, ?, ?, ?)').run(
      channel,
      sequence,
      tagmanifestSha256,
      '',
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  alice = await createStation(await makeTemp('airlock-chs-a-'), 'Alice Station');
  bob = await createStation(await makeTemp('airlock-chs-b-'), 'Bob Station');
  receiver = await createStation(await makeTemp('airlock-chs-r-'), 'Receiver Station');
  for (const sender of [alice, bob]) {
    const trusted = await receiver.run(['keys', 'trust', await publicKey(sender), '--fingerprint', sender.fingerprint]);
    expect(trusted.code, describeResult(trusted)).toBe(0);
  }
  out = await makeTemp('airlock-chs-out-');
}, 120_000);

describe('a bundle signed by two trusted keys', () => {
  it('is checked against and recorded in both keys’ channel state; a later bundle reusing its number under the second key is a duplicate', async () => {
    const dest = await makeTemp('airlock-chs-dest-');
    const one = await exportOn(alice, 'dual', 'one');
    expect((await importInto(receiver, one.bundlePath, dest)).code).toBe(0);

    const both = await exportSignedByBoth('dual', 'two');
    expect(both.sequence).toBe(2);
    const verified = await receiver.run(['verify', '--json', both.bundlePath]);
    expect(verified.code, describeResult(verified)).toBe(0);
    const seen = parseJson<{ channel: ChannelReport }>(verified).channel;
    expect([...seen.signers].sort()).toEqual([alice.fingerprint, bob.fingerprint].sort());
    // Alice's channel goes 1 -> 2; Bob's first bundle there is number 2: first contact, not a gap.
    expect(seen.findings.map((f) => [f.code, f.signer, f.decision])).toEqual([['CHANNEL_FIRST_CONTACT', bob.fingerprint, 'warn']]);
    const imported = await importInto(receiver, both.bundlePath, dest);
    expect(imported.code, JSON.stringify(imported.report)).toBe(0);

    const rows = (await channelsOf(receiver)).filter((s) => s.channel === 'dual').map((s) => [s.signer, s.lastSequence, s.missing]);
    expect(rows.sort()).toEqual(
      [
        [alice.fingerprint, 2, []],
        [bob.fingerprint, 2, []],
      ].sort(),
    );

    // Another bundle numbered 2, signed by Bob alone: Bob already vouched for number 2 with another bundle.
    continueAfter(bob, 'dual', 1, one.tagmanifestSha256);
    const forged = await exportOn(bob, 'dual', 'two-again');
    expect(forged.sequence).toBe(2);
    const verifiedForged = await receiver.run(['verify', '--json', forged.bundlePath]);
    expect(parseJson<{ channel: ChannelReport }>(verifiedForged).channel.findings.map((f) => [f.code, f.signer])).toEqual([
      ['CHANNEL_DUPLICATE', bob.fingerprint],
    ]);
    const refused = await importInto(receiver, forged.bundlePath, dest);
    expect(refused.code).toBe(1);
    expect(refused.report.problems.map((p) => p.code)).toEqual(['CHANNEL_DUPLICATE']);
    expect(await readdir(dest)).not.toContain('two-again');

    // The next on the channel, from Alice alone: as expected on her channel.
    const three = await exportOn(alice, 'dual', 'three');
    const next = await importInto(receiver, three.bundlePath, dest);
    expect(next.code).toBe(0);
    expect(next.report.channel?.findings).toEqual([]);

    // A heartbeat signed by Bob alone (his station carrying on after Alice's 3) moves only Bob's channel,
    // where 3 (signed by Alice alone) is missing: each key's state holds what that key signed.
    const db = openStationDb(join(bob.home, 'airlock.db'));
    try {
      db.prepare('UPDATE channel_send SET sequence = 3, tagmanifest_sha256 = ? WHERE channel = ?').run(three.tagmanifestSha256, 'dual');
    } finally {
      db.close();
    }
    const sent = await bob.run(['heartbeat', '--channel', 'dual', '--out', out, '--passphrase-file', bob.passFile, '--json']);
    expect(sent.code, describeResult(sent)).toBe(0);
    const hb = await importInto(receiver, parseJson<{ bundle: { bundlePath: string } }>(sent).bundle.bundlePath, await makeTemp('airlock-chs-hb-'));
    expect(hb.code, JSON.stringify(hb.report)).toBe(0);
    expect(hb.report.channel?.findings.map((f) => [f.code, f.signer, f.expected, f.received])).toEqual([['CHANNEL_GAP', bob.fingerprint, 3, 4]]);
    const after = await channelsOf(receiver);
    expect(after.find((s) => s.channel === 'dual' && s.signer === bob.fingerprint)).toMatchObject({ lastSequence: 4, missing: [3] });
    expect(after.find((s) => s.channel === 'dual' && s.signer === bob.fingerprint)?.lastHeartbeatAt).not.toBeNull();
    expect(after.find((s) => s.channel === 'dual' && s.signer === alice.fingerprint)).toMatchObject({ lastSequence: 3, lastHeartbeatAt: null });
  });
});

describe('first contact with a channel that began before this station joined', () => {
  it('is the baseline: reported as CHANNEL_FIRST_CONTACT (warn), no gap, nothing missing; a policy may accept it silently or refuse it', async () => {
    const late = await createStation(await makeTemp('airlock-chs-late-'), 'Late Receiver');
    expect((await late.run(['keys', 'trust', await publicKey(alice), '--fingerprint', alice.fingerprint])).code).toBe(0);
    for (const name of ['old-1', 'old-2', 'old-3']) await exportOn(alice, 'joined', name);
    const fourth = await exportOn(alice, 'joined', 'old-4');
    const fifth = await exportOn(alice, 'joined', 'old-5');
    const dest = await makeTemp('airlock-chs-late-dest-');
    const policy = join(late.home, 'policy.json');

    await writeFile(policy, JSON.stringify({ channels: { firstContact: 'refuse' } }));
    const refused = await importInto(late, fourth.bundlePath, dest);
    expect(refused.code).toBe(1);
    expect(refused.report.problems.map((p) => p.code)).toEqual(['CHANNEL_FIRST_CONTACT']);
    expect(await channelsOf(late)).toEqual([]);

    await writeFile(policy, JSON.stringify({ channels: { firstContact: 'accept' } }));
    const verified = await late.run(['verify', '--json', fourth.bundlePath]);
    expect(parseJson<{ channel: ChannelReport }>(verified).channel.findings).toEqual([]);

    await rm(policy);
    const first = await importInto(late, fourth.bundlePath, dest);
    expect(first.code, JSON.stringify(first.report)).toBe(0);
    expect(first.report.channel?.findings.map((f) => [f.code, f.expected, f.received, f.decision])).toEqual([['CHANNEL_FIRST_CONTACT', 1, 4, 'warn']]);
    expect(first.report.channel?.missing).toBeUndefined();
    const next = await importInto(late, fifth.bundlePath, dest);
    expect(next.report.channel?.findings).toEqual([]);
    expect((await channelsOf(late)).map((s) => [s.channel, s.lastSequence, s.missing])).toEqual([['joined', 5, []]]);
  });
});
