/**
 * The hostile cases (#16.8) through the whole import pipeline, with the real clamd: each
 * gets its code, the destination stays empty and the audit event records the refusal. A file
 * over clamd's StreamMaxLength is never clean (SCAN_FAILED, or a warning when the policy says
 * warn); a marker beyond the recursion limit, a zip bomb by ratio (ARCHIVE_LIMIT); an encrypted
 * zip (ARCHIVE_ENCRYPTED); a 7z (ARCHIVE_UNREADABLE); a polyglot (TYPE_MISMATCH); a marker at the
 * top level (MALWARE_FOUND).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeArchive } from '../../helpers/archive-maker.js';
import { MARKER_TEXT, markerBytes } from '../../helpers/clamav-database.js';
import { useClamdServer } from '../../helpers/clamd-server.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const clamd = useClamdServer({ streamMaxLength: '64K' });
let station: TestStation;

interface Report {
  ok: boolean;
  problems: Array<{ code: string; path?: string; members?: string[]; message: string }>;
  warnings: string[];
}

beforeAll(async () => {
  station = await createStation(await makeTemp('airlock-insp-cases-'), 'Cases Station');
}, 60_000);

async function importOne(
  name: string,
  fileName: string,
  content: Buffer,
  inspect: Record<string, unknown> = {},
): Promise<{ code: number; report: Report; dest: string; text: string }> {
  await writeFile(join(station.home, 'policy.json'), JSON.stringify({ inspect: { scan: { clamd: clamd().unixAddress }, ...inspect } }));
  const src = join(await makeTemp('airlock-insp-cases-src-'), name);
  await mkdir(src);
  await writeFile(join(src, fileName), content);
  const bundle = (await station.exportBundle(await makeTemp('airlock-insp-cases-out-'), name, [src])).bundle.bundlePath;
  const dest = await makeTemp('airlock-insp-cases-dest-');
  const result = await station.run(['import', bundle, '--dest', dest, '--json']);
  return { code: result.code, report: parseJson<Report>(result), dest, text: describeResult(result) };
}

async function expectRefused(outcome: { code: number; report: Report; dest: string; text: string }, code: string): Promise<Report['problems'][number]> {
  expect(outcome.code, outcome.text).toBe(1);
  expect(await readdir(outcome.dest)).toEqual([]);
  const found = outcome.report.problems.find((p) => p.code === code);
  expect(found, outcome.text).toBeDefined();
  const audit = parseJson<{ events: Array<{ outcome: string; problemCodes: string[] }> }>(
    await station.run(['audit', 'list', '--type', 'import', '--limit', '1', '--json']),
  );
  expect(audit.events[0]).toMatchObject({ outcome: 'rejected', problemCodes: expect.arrayContaining([code]) });
  return found as Report['problems'][number];
}

describe('hostile content through import', () => {
  it('a marker at the top level is MALWARE_FOUND', async () => {
    await expectRefused(await importOne('top', 'note.txt', markerBytes()), 'MALWARE_FOUND');
  });

  it('a file larger than clamd takes (StreamMaxLength) is SCAN_FAILED, never clean; with onError warn it imports with a warning', async () => {
    const big = Buffer.alloc(200 * 1024, 0x61);
    await expectRefused(await importOne('big', 'big.txt', big), 'SCAN_FAILED');
    const warned = await importOne('big2', 'big.txt', big, { scan: { clamd: clamd().unixAddress, onError: 'warn' } });
    expect(warned.code, warned.text).toBe(0);
  });

  it('a marker nested deeper than maxDepth is ARCHIVE_LIMIT (what lies beyond was not inspected)', async () => {
    const inner = makeArchive({ kind: 'zip', members: [{ name: 'deep.txt', data: { text: 'plain' } }] });
    const outer = makeArchive({ kind: 'zip', members: [{ name: 'inner.zip', data: { hex: inner.toString('hex') } }] });
    const found = await expectRefused(await importOne('deep', 'outer.zip', outer, { archives: { maxDepth: 1 } }), 'ARCHIVE_LIMIT');
    expect(found.members).toEqual(['inner.zip']);
  });

  it('a zip bomb by ratio is ARCHIVE_LIMIT', async () => {
    const bomb = makeArchive({ kind: 'zip', members: [{ name: 'zeros.bin', compress: 'deflated', data: { zeros: 8 * 1024 * 1024 } }] });
    await expectRefused(await importOne('bomb', 'bomb.zip', bomb, { archives: { maxRatio: 10 } }), 'ARCHIVE_LIMIT');
  });

  it('an encrypted zip is ARCHIVE_ENCRYPTED', async () => {
    const encrypted = makeArchive({ kind: 'zip-encrypted', members: [{ name: 'secret.txt', data: { text: MARKER_TEXT } }] });
    await expectRefused(await importOne('enc', 'secret.zip', encrypted), 'ARCHIVE_ENCRYPTED');
  });

  it('a 7z (a kind the station does not open) is ARCHIVE_UNREADABLE', async () => {
    const sevenZip = Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), Buffer.alloc(64, 1)]);
    await expectRefused(await importOne('seven', 'pack.7z', sevenZip), 'ARCHIVE_UNREADABLE');
  });

  it('a polyglot (a zip joined to a PNG) is TYPE_MISMATCH', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4530000000049454e44ae426082',
      'hex',
    );
    const zip = makeArchive({ kind: 'zip', members: [{ name: 'x.txt', data: { text: 'hello' } }] });
    await expectRefused(await importOne('poly', 'image.png', Buffer.concat([png, zip])), 'TYPE_MISMATCH');
  });
});
