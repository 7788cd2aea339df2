/**
 * kill -9 during an export on a channel, then export again: the receiver sees no false finding.
 * A run killed before it publishes burns no number; one killed after it published but before its
 * audit event is recovered at the next start (the channel moves on to it). Either way the bundles
 * found in the output folder, imported in order, form one unbroken chain: no gap, no duplicate,
 * no broken back-link. Kill points are observed (the temp file growing, the bundle appearing),
 * not timed; a run that finished before its kill is simply one more good bundle.
 */
import { randomBytes } from 'node:crypto';
import { readdir, stat, writeFile } from 'node:fs/promises';
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
    const kinds: Array<'writing' | 'published'> = ['writing', 'published', 'writing', 'published', 'published'];
    let killed = 0;
    for (const [i, kind] of kinds.entries()) {
      const name = `k${i}`;
      const run = startChild([
        CLI_BIN,
        '--home',
        sender.home,
        'export',
        '--out',
        out,
        '--name',
        name,
        '--channel',
        'crash',
        '--passphrase-file',
        sender.passFile,
        src,
      ]);
      if ((await killWhen(run, killPoint(kind, name))) === 'killed') killed += 1;
    }
    expect(killed).toBeGreaterThan(0);
    // The next export (which settles what the killed runs left) and one more.
    for (const name of ['after-1', 'after-2']) {
      const result = await sender.run(['export', '--out', out, '--name', name, '--channel', 'crash', '--passphrase-file', sender.passFile, '--json', src]);
      expect(result.code, describeResult(result)).toBe(0);
    }
    const stamps: Array<{ file: string; sequence: number }> = [];
    for (const file of await published()) {
      const verified = await receiver.run(['verify', '--json', join(out, file)]);
      expect(verified.code, describeResult(verified)).toBe(0);
      const report = parseJson<{ channel: ChannelReport }>(verified);
      stamps.push({ file, sequence: report.channel.stamp.sequence });
    }
    stamps.sort((a, b) => a.sequence - b.sequence);
    // One number per published bundle, none skipped, none taken twice.
    expect(stamps.map((s) => s.sequence)).toEqual(stamps.map((_s, i) => i + 1));
    const dest = await makeTemp('airlock-chk-dest-');
    for (const { file } of stamps) {
      const imported = await receiver.run(['import', '--json', join(out, file), '--dest', dest]);
      expect(imported.code, describeResult(imported)).toBe(0);
      expect(parseJson<{ channel: ChannelReport }>(imported).channel.findings).toEqual([]);
    }
  }, 600_000);
});
