/**
 * kill -9 during an export on a channel, then export again: the receiver sees no false finding.
 * A run killed before it publishes burns no number; one killed after it published but before its
 * audit event is recovered at the next start (the channel moves on to it). Either way the bundles
 * found in the output folder, imported in order, form one unbroken chain: no gap, no duplicate,
 * no broken back-link. Kill points are observed (the temp file growing, the bundle appearing),
 * not timed; a run that finished before its kill is simply one more good bundle.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChannelReport } from '../../../shared/results.js';
import { CLI_BIN, describeResult, parseJson } from '../../helpers/cli-runner.js';
import { killWhen, startChild } from '../../helpers/kill-points.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let sender: TestStation;
let receiver: TestStation;
let src: string;
let out: string;

beforeAll(async () => {
  sender = await createStation(await makeTemp('airlock-chk-a-'), 'Sender Station');
  receiver = await createStation(await makeTemp('airlock-chk-b-'), 'Receiver Station');
  const keyFile = join(await makeTemp('airlock-chk-key-'), 'a.asc');
  await writeFile(keyFile, (await sender.run(['keys', 'export-public'])).stdout);
  const trusted = await receiver.run(['keys', 'trust', keyFile, '--fingerprint', sender.fingerprint]);
  expect(trusted.code, describeResult(trusted)).toBe(0);
  src = join(await makeTemp('airlock-chk-src-'), 'payload.bin');
  await writeFile(src, randomBytes(24 * 1024 * 1024));
  out = await makeTemp('airlock-chk-out-');
}, 120_000);

const published = async (): Promise<string[]> => (await readdir(out)).filter((f) => f.endsWith('.airlock.tar'));

/** The export's temp file holds some bytes (mid-write), or its bundle was just published. */
function killPoint(kind: 'writing' | 'published', name: string): () => Promise<boolean> {
  return async () => {
    const files = await readdir(out);
    if (kind === 'published') return files.includes(`${name}.airlock.tar`);
    for (const f of files) {
      if (!f.endsWith('.partial') || !f.includes(name)) continue;
      const size = (await stat(join(out, f)).catch(() => null))?.size ?? 0;
      if (size > 1024 * 1024) return true;
    }
    return false;
  };
}

describe('kill -9 during an export on a channel', () => {
  it('leaves the channel unbroken: every published bundle imports in order without a finding', async () => {
    // 'moved': killed once published, and the bundle taken away at once, as a diode's outbox is emptied:
    // recovery cannot find it, yet must not hand its number to the next export.
    const kinds: Array<'writing' | 'published' | 'moved'> = ['writing', 'published', 'moved', 'moved', 'published'];
    const delivered = await makeTemp('airlock-chk-delivered-');
    let killed = 0;
    for (const [i, kind] of kinds.entries()) {
      const name = `k${i}`;
      const args = ['--home', sender.home, 'export', '--out', out, '--name', name, '--channel', 'crash', '--passphrase-file', sender.passFile, src];
      const run = startChild([CLI_BIN, ...args]);
      if ((await killWhen(run, killPoint(kind === 'moved' ? 'published' : kind, name))) === 'killed') killed += 1;
      if (kind === 'moved' && (await published()).includes(`${name}.airlock.tar`))
        await rename(join(out, `${name}.airlock.tar`), join(delivered, `${name}.airlock.tar`));
    }
    expect(killed).toBeGreaterThan(0);
    // The next export (which settles what the killed runs left) and one more.
    for (const name of ['after-1', 'after-2']) {
      const result = await sender.run(['export', '--out', out, '--name', name, '--channel', 'crash', '--passphrase-file', sender.passFile, '--json', src]);
      expect(result.code, describeResult(result)).toBe(0);
    }
    const stamps: Array<{ file: string; sequence: number }> = [];
    const bundles = [...(await published()).map((f) => join(out, f)), ...(await readdir(delivered)).map((f) => join(delivered, f))];
    for (const file of bundles) {
      const verified = await receiver.run(['verify', '--json', file]);
      expect(verified.code, describeResult(verified)).toBe(0);
      const report = parseJson<{ channel: ChannelReport }>(verified);
      stamps.push({ file, sequence: report.channel.stamp.sequence });
    }
    stamps.sort((a, b) => a.sequence - b.sequence);
    // One number per bundle found, none taken twice, none skipped (a number counted as used has its bundle among the delivered).
    expect(stamps.map((s) => s.sequence)).toEqual(stamps.map((_s, i) => i + 1));
    const dest = await makeTemp('airlock-chk-dest-');
    for (const { file } of stamps) {
      const imported = await receiver.run(['import', '--json', file, '--dest', dest]);
      expect(imported.code, describeResult(imported)).toBe(0);
      expect(parseJson<{ channel: ChannelReport }>(imported).channel.findings).toEqual([]);
    }
  }, 600_000);
});

describe('kill -9 during an import on a channel', () => {
  it('releases the number the killed import reserved: a later bundle reports it missing, and it imports after', async () => {
    const chanOut = await makeTemp('airlock-chk-imp-out-');
    const small = join(await makeTemp('airlock-chk-imp-src-'), 'small.txt');
    await writeFile(small, 'small\n');
    const exportTo = async (name: string, file: string): Promise<string> => {
      const result = await sender.run(['export', '--out', chanOut, '--name', name, '--channel', 'imp', '--passphrase-file', sender.passFile, '--json', file]);
      expect(result.code, describeResult(result)).toBe(0);
      return parseJson<{ bundle: { bundlePath: string } }>(result).bundle.bundlePath;
    };
    const b1 = await exportTo('i1', small);
    const b2 = await exportTo('i2', src);
    const b3 = await exportTo('i3', small);
    const dest = await makeTemp('airlock-chk-imp-dest-');
    expect((await receiver.run(['import', '--json', b1, '--dest', dest])).code).toBe(0);
    // Killed while bundle 2's payload is being staged: its claim (and channel number) were taken.
    let landed = false;
    for (let attempt = 0; attempt < 6 && !landed; attempt += 1) {
      const run = startChild([CLI_BIN, '--home', receiver.home, 'import', b2, '--dest', dest]);
      const outcome = await killWhen(run, async () => {
        for (const f of await readdir(dest)) {
          if (!f.startsWith('.airlock-staging-')) continue;
          // The payload file is being written: the claim (and the channel number with it) was taken before that.
          const size = (await stat(join(dest, f, 'payload', 'payload.bin')).catch(() => null))?.size ?? 0;
          if (size > 1024 * 1024) return true;
        }
        return false;
      });
      landed = outcome === 'killed' && !(await readdir(dest)).includes('i2');
      if (!landed && (await readdir(dest)).includes('i2')) throw new Error('bundle 2 imported before the kill; the test needs a slower import');
    }
    expect(landed).toBe(true);
    const third = await receiver.run(['import', '--json', b3, '--dest', dest]);
    expect(third.code, describeResult(third)).toBe(0);
    const report = parseJson<{ channel: ChannelReport }>(third).channel;
    expect(report.findings.map((f) => f.code)).toEqual(['CHANNEL_GAP']);
    expect(report.missing).toEqual([2]);
    const second = await receiver.run(['import', '--json', b2, '--dest', dest]);
    expect(second.code, describeResult(second)).toBe(0);
    expect(parseJson<{ channel: ChannelReport }>(second).channel.findings.map((f) => f.code)).toEqual(['CHANNEL_REORDERED']);
  }, 600_000);
});
