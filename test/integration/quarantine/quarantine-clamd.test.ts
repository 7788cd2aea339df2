/**
 * The quarantine with Debian's real clamd (own config, a signature database built with sigtool):
 * a marker hidden in a zip inside a tar.gz is MALWARE_FOUND naming the inner path, the bundle is
 * kept and the refusal's audit event names the quarantine id and the database; releasing it with
 * clamd stopped is refused (SCANNER_UNAVAILABLE is a new finding, never overridden) and leaves
 * it held; with clamd running the same finding is found again (same file, same member chain),
 * overridden, and the payload imported.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { markerBytes } from '../../helpers/clamav-database.js';
import { useClamdServer } from '../../helpers/clamd-server.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';

const makeTemp = useTempDirs();
const clamd = useClamdServer();

let station: TestStation;
let marked: string;

interface Problem {
  code: string;
  path?: string;
  members?: string[];
}

beforeAll(async () => {
  station = await createStation(await makeTemp('airlock-qc-station-'), 'Quarantine Clamd Station');
  const work = await makeTemp('airlock-qc-build-');
  await mkdir(join(work, 'deep'));
  await writeFile(join(work, 'deep', 'marker.txt'), markerBytes());
  mustRun('python3', [
    '-c',
    'import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED) as z: z.write(sys.argv[2], "deep/marker.txt")',
    join(work, 'inner.zip'),
    join(work, 'deep', 'marker.txt'),
  ]);
  const src = join(await makeTemp('airlock-qc-src-'), 'marked');
  await mkdir(src);
  mustRun('tar', ['-czf', join(src, 'outer.tar.gz'), '-C', work, 'inner.zip']);
  await writeFile(join(src, 'readme.txt'), 'a harmless note\n');
  marked = (await station.exportBundle(await makeTemp('airlock-qc-out-'), 'marked', [src])).bundle.bundlePath;
}, 120_000);

describe('quarantine with real clamd', () => {
  it('keeps a bundle with a marker in a nested archive; release needs the scanner; the recorded finding alone is overridden', async () => {
    await writeFile(join(station.home, 'policy.json'), JSON.stringify({ inspect: { scan: { clamd: clamd().unixAddress } } }));
    const dest = await makeTemp('airlock-qc-dest-');
    const refused = await station.run(['import', marked, '--dest', dest, '--json']);
    expect(refused.code, describeResult(refused)).toBe(1);
    const report = parseJson<{ problems: Problem[]; quarantine?: { id: string }; auditEvent: number }>(refused);
    // clamd finds it in the outer file as a whole, and Airlock's walk in the member itself.
    const finding = report.problems.find((p) => p.code === 'MALWARE_FOUND' && (p.members?.length ?? 0) > 0);
    expect(finding).toMatchObject({ path: 'data/marked/outer.tar.gz', members: ['inner.zip', 'deep/marker.txt'] });
    const id = report.quarantine?.id ?? '';
    expect(id).not.toBe('');
    expect(await readdir(dest)).toEqual([]);
    const events = parseJson<{
      events: Array<{ seq: number; details: { quarantine?: { id: string }; inspection?: { scanner: { databaseVersion: number } } } }>;
    }>(await station.run(['audit', 'list', '--type', 'import', '--limit', '1', '--json'])).events;
    expect(events[0]?.seq).toBe(report.auditEvent);
    expect(events[0]?.details.quarantine?.id).toBe(id);
    expect(events[0]?.details.inspection?.scanner.databaseVersion).toEqual(expect.any(Number));
    const shown = await station.run(['quarantine', 'show', id]);
    expect(shown.stdout).toContain('MALWARE_FOUND  data/marked/outer.tar.gz > inner.zip > deep/marker.txt');

    await clamd().stop();
    try {
      const down = await station.run(['quarantine', 'release', id, '--dest', dest, '--reason', 'test marker, not malware', '--yes', '--json']);
      expect(down.code, describeResult(down)).toBe(1);
      expect(parseJson<{ import: { problems: Problem[] } }>(down).import.problems.map((p) => p.code)).toEqual(['SCANNER_UNAVAILABLE']);
      expect(await readdir(dest)).toEqual([]);
    } finally {
      await clamd().start();
    }

    const released = await station.run(['quarantine', 'release', id, '--dest', dest, '--reason', 'test marker, not malware', '--yes', '--json']);
    expect(released.code, describeResult(released)).toBe(0);
    const outcome = parseJson<{ entry: { status: string }; import: { overridden: Problem[]; destination: string } }>(released);
    expect(outcome.entry.status).toBe('released');
    // Overridden: the recorded (file, member chain) pairs and nothing else (a pair may be reported more than once).
    const key = (p: Problem): string => JSON.stringify([p.code, p.path, p.members ?? []]);
    const recorded = report.problems.filter((p) => p.code === 'MALWARE_FOUND').map((p) => [p.path, p.members ?? []]);
    expect([...new Set(outcome.import.overridden.map(key))].sort()).toEqual([...new Set(report.problems.map(key))].sort());
    expect(recorded).toContainEqual(['data/marked/outer.tar.gz', ['inner.zip', 'deep/marker.txt']]);
    expect((await readdir(join(dest, 'marked', 'marked'))).sort()).toEqual(['outer.tar.gz', 'readme.txt']);
  });
});
