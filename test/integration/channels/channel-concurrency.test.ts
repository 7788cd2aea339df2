/**
 * Channels under concurrency and the two-person rule (docs/channels.md):
 * - two exports on one channel at once are serialised: numbers 1 and 2, chained;
 * - a staged (two-person) export takes its number at prepare; if another bundle is published on
 *   the channel before finish, finish refuses (CHANNEL_STAMP_STALE) rather than publish a duplicate;
 * - two different bundles with one number imported at once: exactly one lands, the other is a duplicate.
 * Each stamped bundle also checks out with GNU tar, gpg and sha256sum: the stamp is signed data.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChannelStamp } from '../../../shared/channels.js';
import type { ChannelReport } from '../../../shared/results.js';
import { openStationDb } from '../../../electron/core/db/station-db.js';
import { extractBundle } from '../../helpers/bag-tools.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let sender: TestStation;
let receiver: TestStation;
let keyFile: string;

beforeAll(async () => {
  sender = await createStation(await makeTemp('airlock-chc-a-'), 'Sender Station');
  receiver = await createStation(await makeTemp('airlock-chc-b-'), 'Receiver Station');
  keyFile = join(await makeTemp('airlock-chc-key-'), 'a.asc');
  await writeFile(keyFile, (await sender.run(['keys', 'export-public'])).stdout);
  expect((await receiver.run(['keys', 'trust', keyFile, '--fingerprint', sender.fingerprint])).code).toBe(0);
});

type Exported = { bundlePath: string; tagmanifestSha256: string; channel: ChannelStamp };

async function exportOn(out: string, channel: string, name: string): Promise<Exported> {
  const src = join(await makeTemp('airlock-chc-src-'), `${name}.txt`);
  await writeFile(src, `payload of ${name}\n`);
  const result = await sender.run(['export', '--out', out, '--name', name, '--channel', channel, '--passphrase-file', sender.passFile, '--json', src]);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<{ bundle: Exported }>(result).bundle;
}

describe('channels under concurrency', () => {
  it('two exports on one channel at once take 1 and 2, chained', async () => {
    const out = await makeTemp('airlock-chc-out-');
    const [a, b] = await Promise.all([exportOn(out, 'par', 'left'), exportOn(out, 'par', 'right')]);
    const [first, second] = [a, b].sort((x, y) => x.channel.sequence - y.channel.sequence) as [Exported, Exported];
    expect([first.channel.sequence, second.channel.sequence]).toEqual([1, 2]);
    expect(first.channel.previousTagManifestSha256).toBeNull();
    expect(second.channel.previousTagManifestSha256).toBe(first.tagmanifestSha256);
  });

  it('a staged export whose number was taken meanwhile is refused at finish', async () => {
    const out = await makeTemp('airlock-chc-out-');
    const src = join(await makeTemp('airlock-chc-src-'), 'staged.txt');
    await writeFile(src, 'staged\n');
    const prepared = await sender.run(['export', '--prepare', '--name', 'staged', '--channel', 'two', '--passphrase-file', sender.passFile, '--json', src]);
    expect(prepared.code, describeResult(prepared)).toBe(0);
    const stagedDir = parseJson<{ staged: { stagedDir: string } }>(prepared).staged.stagedDir;
    // Another bundle on the channel is published first: it takes number 1.
    const other = await exportOn(out, 'two', 'meanwhile');
    expect(other.channel.sequence).toBe(1);
    const finished = await sender.run(['export', '--finish', stagedDir, '--out', out, '--passphrase-file', sender.passFile, '--json']);
    expect(finished.code, describeResult(finished)).toBe(3);
    expect(parseJson<{ error: { code: string } }>(finished).error.code).toBe('CHANNEL_STAMP_STALE');
    expect(await readdir(out)).not.toContain('staged.airlock.tar');
    // Prepared again, it takes the next number and finishes.
    expect((await sender.run(['export', '--discard-staged', 'staged'])).code).toBe(0);
    const again = await sender.run(['export', '--prepare', '--name', 'staged', '--channel', 'two', '--passphrase-file', sender.passFile, '--json', src]);
    const dir = parseJson<{ staged: { stagedDir: string } }>(again).staged.stagedDir;
    const done = await sender.run(['export', '--finish', dir, '--out', out, '--passphrase-file', sender.passFile, '--json']);
    expect(done.code, describeResult(done)).toBe(0);
    expect(parseJson<{ bundle: Exported }>(done).bundle.channel).toMatchObject({ sequence: 2, previousTagManifestSha256: other.tagmanifestSha256 });
  });

  it('two different bundles with one number imported at once: one lands, the other is a duplicate', async () => {
    const out = await makeTemp('airlock-chc-out-');
    const one = await exportOn(out, 'race', 'one');
    const db = openStationDb(join(sender.home, 'airlock.db'));
    try {
      db.prepare('DELETE FROM channel_send WHERE channel = ?').run('race');
    } finally {
      db.close();
    }
    const twin = await exportOn(out, 'race', 'twin');
    expect([one.channel.sequence, twin.channel.sequence]).toEqual([1, 1]);
    const dest = await makeTemp('airlock-chc-dest-');
    const results = await Promise.all([one, twin].map((b) => receiver.spawn(['import', '--json', b.bundlePath, '--dest', dest])));
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    const refused = results.find((r) => r.code === 1);
    expect(refused && parseJson<{ problems: Array<{ code: string }> }>(refused).problems.map((p) => p.code)).toEqual(['CHANNEL_DUPLICATE']);
    // Receipts (.html, .pdf, .json, .asc) lie beside the import; only one imported directory may land.
    const landed = (await readdir(dest, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(landed).toHaveLength(1);
  }, 120_000);

  it('a stamped bundle checks out with GNU tar, gpg and sha256sum; the stamp is in the signed bag-info', async () => {
    const out = await makeTemp('airlock-chc-out-');
    await exportOn(out, 'interop', 'first');
    const second = await exportOn(out, 'interop', 'second');
    const dir = await makeTemp('airlock-chc-x-');
    await extractBundle(second.bundlePath, dir);
    const bag = join(dir, 'second');
    const gpg = await GnupgHome.create();
    try {
      gpg.mustGpg(['--import', keyFile]);
      const verified = gpg.gpg(['--verify', join(bag, 'tagmanifest-sha256.txt.asc'), join(bag, 'tagmanifest-sha256.txt')]);
      expect(verified.status, String(verified.stderr)).toBe(0);
    } finally {
      await gpg.close();
    }
    expect(spawnSync('sha256sum', ['-c', 'tagmanifest-sha256.txt'], { cwd: bag }).status).toBe(0);
    expect(spawnSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: bag }).status).toBe(0);
    const info = await readFile(join(bag, 'bag-info.txt'), 'utf8');
    expect(info).toContain('Airlock-Channel: interop\n');
    expect(info).toContain('Airlock-Channel-Sequence: 2\n');
    expect(info).toContain(`Airlock-Channel-Previous: ${second.channel.previousTagManifestSha256 ?? 'missing'}\n`);
    const verify = await receiver.run(['verify', '--json', second.bundlePath]);
    expect(parseJson<{ channel: ChannelReport }>(verify).channel.stamp).toEqual(second.channel);
  });
});
