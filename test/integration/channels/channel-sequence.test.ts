/**
 * Channels through the CLI (docs/channels.md): station A exports on a channel, station B (which
 * trusts A) verifies and imports. Gaps, reordering that fills a gap, a re-stamped duplicate and a
 * broken back-link, each in --json, in the audit log and in `airlock channels`.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStationDb } from '../../../electron/core/db/station-db.js';
import type { ChannelState } from '../../../shared/channels.js';
import type { ChannelReport } from '../../../shared/results.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type ExportJson, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let sender: TestStation;
let receiver: TestStation;
let out: string;
let dest: string;

interface ImportJson {
  ok: boolean;
  destination: string | null;
  problems: Array<{ code: string; message: string }>;
  channel?: ChannelReport;
  heartbeat?: boolean;
  auditEvent: number;
  receipt: { json: string } | null;
}

beforeAll(async () => {
  sender = await createStation(await makeTemp('airlock-ch-a-'), 'Sender Station');
  receiver = await createStation(await makeTemp('airlock-ch-b-'), 'Receiver Station');
  const keyFile = join(await makeTemp('airlock-ch-key-'), 'a.asc');
  const exported = await sender.run(['keys', 'export-public']);
  await writeFile(keyFile, exported.stdout);
  const trusted = await receiver.run(['keys', 'trust', keyFile, '--label', 'sender', '--fingerprint', sender.fingerprint]);
  expect(trusted.code, describeResult(trusted)).toBe(0);
  out = await makeTemp('airlock-ch-out-');
  dest = await makeTemp('airlock-ch-dest-');
});

async function exportOn(
  channel: string,
  name: string,
): Promise<ExportJson['bundle'] & { channel: { channel: string; sequence: number; previousTagManifestSha256: string | null } }> {
  const src = join(await makeTemp('airlock-ch-src-'), `${name}.txt`);
  await writeFile(src, `payload of ${name}\n`);
  const result = await sender.run(['export', '--out', out, '--name', name, '--channel', channel, '--passphrase-file', sender.passFile, '--json', src]);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<{ bundle: ExportJson['bundle'] & { channel: { channel: string; sequence: number; previousTagManifestSha256: string | null } } }>(result)
    .bundle;
}

async function importJson(bundle: string): Promise<{ code: number; report: ImportJson }> {
  const result = await receiver.run(['import', '--json', bundle, '--dest', dest]);
  return { code: result.code, report: parseJson<ImportJson>(result) };
}

async function channelsOf(station: TestStation): Promise<ChannelState[]> {
  const result = await station.run(['channels', '--json']);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<{ channels: ChannelState[] }>(result).channels;
}

async function auditDetails(station: TestStation, seq: number): Promise<{ type: string; outcome: string; details: Record<string, unknown> }> {
  const result = await station.run(['audit', 'list', '--json']);
  const events = parseJson<{ events: Array<{ seq: number; type: string; outcome: string; details: Record<string, unknown> }> }>(result).events;
  const event = events.find((e) => e.seq === seq);
  if (!event) throw new Error(`no audit event #${seq}`);
  return event;
}

/** The sender's channel row set back, as a sender bug or a second sender with the same key would. */
function rewindSender(channel: string, sequence: number, tagmanifestSha256: string): void {
  const db = openStationDb(join(sender.home, 'airlock.db'));
  try {
    db.prepare('UPDATE channel_send SET sequence = ?, tagmanifest_sha256 = ? WHERE channel = ?').run(sequence, tagmanifestSha256, channel);
  } finally {
    db.close();
  }
}

describe('a channel from export to import', () => {
  let b1: Awaited<ReturnType<typeof exportOn>>;
  let b2: Awaited<ReturnType<typeof exportOn>>;
  let b3: Awaited<ReturnType<typeof exportOn>>;

  it('stamps sequence numbers and back-links on export', async () => {
    b1 = await exportOn('diode-a', 'one');
    b2 = await exportOn('diode-a', 'two');
    b3 = await exportOn('diode-a', 'three');
    expect([b1.channel, b2.channel, b3.channel].map((c) => [c.channel, c.sequence, c.previousTagManifestSha256])).toEqual([
      ['diode-a', 1, null],
      ['diode-a', 2, b1.tagmanifestSha256],
      ['diode-a', 3, b2.tagmanifestSha256],
    ]);
    // Another channel counts on its own.
    const other = await exportOn('diode-b', 'other');
    expect(other.channel.sequence).toBe(1);
  });

  it('imports 1, then 3 with a gap reported (warn), then 2 as reordered filling the gap', async () => {
    const first = await importJson(b1.bundlePath);
    expect(first.code).toBe(0);
    expect(first.report.channel?.findings).toEqual([]);

    const third = await importJson(b3.bundlePath);
    expect(third.code, JSON.stringify(third.report)).toBe(0);
    expect(third.report.destination).not.toBeNull();
    expect(third.report.channel?.findings.map((f) => [f.code, f.expected, f.received, f.decision])).toEqual([['CHANNEL_GAP', 2, 3, 'warn']]);
    expect(third.report.channel?.missing).toEqual([2]);
    const gapEvent = await auditDetails(receiver, third.report.auditEvent);
    expect(gapEvent.type).toBe('import');
    expect(gapEvent.details.channel).toMatchObject({
      channel: 'diode-a',
      sequence: 3,
      findings: [{ code: 'CHANNEL_GAP', expected: 2, received: 3, decision: 'warn' }],
      missing: [2],
    });
    // The receipt names the stamp and the finding.
    const receipt = JSON.parse(await readFile(third.report.receipt?.json ?? '', 'utf8')) as { channel: unknown };
    expect(receipt.channel).toMatchObject({ channel: 'diode-a', sequence: 3, findings: [{ code: 'CHANNEL_GAP', decision: 'warn' }] });
    const states = await channelsOf(receiver);
    expect(states.map((s) => [s.channel, s.signer, s.lastSequence, s.missing])).toEqual([['diode-a', sender.fingerprint, 3, [2]]]);

    const second = await importJson(b2.bundlePath);
    expect(second.code).toBe(0);
    expect(second.report.channel?.findings.map((f) => [f.code, f.decision])).toEqual([['CHANNEL_REORDERED', 'warn']]);
    expect((await channelsOf(receiver))[0]?.missing).toEqual([]);
    // Text report carries the channel line.
    const text = await receiver.run(['verify', b2.bundlePath]);
    expect(text.stdout).toContain('Channel diode-a: sequence 2');
  });

  it('refuses a different bundle with a sequence already received (duplicate), verify reports it', async () => {
    rewindSender('diode-a', 2, b2.tagmanifestSha256);
    const again = await exportOn('diode-a', 'three-again');
    expect(again.channel.sequence).toBe(3);
    const verified = await receiver.run(['verify', '--json', again.bundlePath]);
    const report = parseJson<{ ok: boolean; channel: ChannelReport }>(verified);
    expect(report.channel.findings.map((f) => [f.code, f.decision])).toEqual([['CHANNEL_DUPLICATE', 'refuse']]);
    const imported = await importJson(again.bundlePath);
    expect(imported.code).toBe(1);
    expect(imported.report.problems.map((p) => p.code)).toEqual(['CHANNEL_DUPLICATE']);
    expect(await readdir(dest)).not.toContain('three-again');
  });

  it('refuses a bundle whose back-link names another bundle than the one received before it', async () => {
    rewindSender('diode-a', 3, 'ab'.repeat(32));
    const forged = await exportOn('diode-a', 'four');
    expect(forged.channel).toMatchObject({ sequence: 4, previousTagManifestSha256: 'ab'.repeat(32) });
    const imported = await importJson(forged.bundlePath);
    expect(imported.code).toBe(1);
    expect(imported.report.problems.map((p) => p.code)).toEqual(['CHANNEL_BACKLINK_BROKEN']);
    expect(await readdir(dest)).not.toContain('four');
    // Refused: the number stays free, the state unchanged.
    expect((await channelsOf(receiver))[0]?.lastSequence).toBe(3);
  });

  it('an invalid channel name is a usage error before anything is written', async () => {
    const src = join(await makeTemp('airlock-ch-src-'), 'x.txt');
    await writeFile(src, 'x\n');
    const result = await sender.run(['export', '--out', out, '--name', 'bad', '--channel', 'Diode A', '--passphrase-file', sender.passFile, '--json', src]);
    expect(result.code).toBe(2);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe('CHANNEL_NAME_INVALID');
    expect(await readdir(out)).not.toContain('bad.airlock.tar');
  });
});

describe('heartbeats', () => {
  it('round trip: sent, verified, imported with nothing written, counted once', async () => {
    const sent = await sender.run(['heartbeat', '--channel', 'hb', '--out', out, '--passphrase-file', sender.passFile, '--json']);
    expect(sent.code, describeResult(sent)).toBe(0);
    const bundle = parseJson<{ bundle: { bundlePath: string; files: number; auditEvent: number; channel: { sequence: number; heartbeat: boolean } } }>(
      sent,
    ).bundle;
    expect(bundle.files).toBe(0);
    expect(bundle.channel).toMatchObject({ sequence: 1, heartbeat: true });
    const sentEvent = await auditDetails(sender, bundle.auditEvent);
    expect(sentEvent).toMatchObject({ type: 'heartbeat', outcome: 'ok', details: { direction: 'sent' } });

    const verified = await receiver.run(['verify', '--json', bundle.bundlePath]);
    expect(verified.code, describeResult(verified)).toBe(0);

    const hbDest = await makeTemp('airlock-ch-hbdest-');
    const imported = await receiver.run(['import', '--json', bundle.bundlePath, '--dest', hbDest]);
    expect(imported.code, describeResult(imported)).toBe(0);
    const report = parseJson<ImportJson>(imported);
    expect(report.heartbeat).toBe(true);
    expect(report.destination).toBeNull();
    expect(await readdir(hbDest)).toEqual([]);
    const received = await auditDetails(receiver, report.auditEvent);
    expect(received).toMatchObject({ type: 'heartbeat', outcome: 'ok', details: { direction: 'received', channel: { channel: 'hb', sequence: 1 } } });
    const state = (await channelsOf(receiver)).find((s) => s.channel === 'hb');
    expect(state?.lastHeartbeatAt).not.toBeNull();

    const replayed = await receiver.run(['import', '--json', bundle.bundlePath, '--dest', hbDest]);
    expect(replayed.code).toBe(1);
    expect(parseJson<ImportJson>(replayed).problems.map((p) => p.code)).toEqual(['REPLAY']);
    expect(await readdir(hbDest)).toEqual([]);
  });
});

describe('a policy that requires a channel stamp', () => {
  it('refuses an unstamped bundle in verify and import, and takes a stamped one', async () => {
    const policy = join(receiver.home, 'policy.json');
    await writeFile(policy, JSON.stringify({ channels: { require: true } }));
    try {
      const src = join(await makeTemp('airlock-ch-src-'), 'plain.txt');
      await writeFile(src, 'plain\n');
      const plain = await sender.run(['export', '--out', out, '--name', 'plain', '--passphrase-file', sender.passFile, '--json', src]);
      const bundle = parseJson<ExportJson>(plain).bundle.bundlePath;
      const verified = await receiver.run(['verify', '--json', bundle]);
      expect(verified.code).toBe(1);
      expect(parseJson<ImportJson>(verified).problems.map((p) => p.code)).toEqual(['CHANNEL_STAMP_INVALID']);
      const imported = await importJson(bundle);
      expect(imported.code).toBe(1);
      expect(imported.report.problems.map((p) => p.code)).toEqual(['CHANNEL_STAMP_INVALID']);
      const stamped = await exportOn('required', 'stamped');
      expect((await importJson(stamped.bundlePath)).code).toBe(0);
      // A policy naming an unknown field is refused, naming it.
      await writeFile(policy, JSON.stringify({ channels: { gaps: 'warn' } }));
      const bad = await receiver.run(['verify', '--json', stamped.bundlePath]);
      expect(bad.code).toBe(3);
      expect(parseJson<{ error: { code: string; message: string } }>(bad).error).toMatchObject({ code: 'CONFIG_INVALID' });
    } finally {
      await rm(policy, { force: true });
    }
  });
});
