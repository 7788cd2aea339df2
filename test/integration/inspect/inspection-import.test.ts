/**
 * Content inspection end to end with Debian's real clamd (issue #16, "how it is checked"), as a new
 * user would try it: configure clamd in policy.json, import a bundle with a marker file hidden in a
 * zip inside a tar.gz: exit 1, MALWARE_FOUND naming the inner path, the destination unchanged, the
 * audit event naming the database version; stop clamd and import a clean bundle: refused with
 * SCANNER_UNAVAILABLE before any payload is staged; start it: the clean bundle imports, and its
 * receipt names the database. Also: an extension that lies, a stale database (refused, or warned
 * when the policy says so), and `airlock policy check`.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, markerBytes, MARKER_SIGNATURE } from '../../helpers/clamav-database.js';
import { type ClamdServer, disposeClamd, startClamd, useClamdServer } from '../../helpers/clamd-server.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';

const makeTemp = useTempDirs();
const clamd = useClamdServer();

interface ImportJson {
  ok: boolean;
  problems: Array<{ code: string; path?: string; members?: string[]; message: string }>;
  inspection?: {
    enabled: boolean;
    scanner: { databaseVersion: number | null; databaseAgeDays: number | null; reachable: boolean } | null;
    files: number;
    members: number;
    refused: number;
    items: Array<{ path: string; members: string[]; findings: string[]; warnings: string[]; scan: string }>;
  };
  destination: string | null;
  warnings: string[];
  receipt: { json: string } | null;
}

let station: TestStation;
let markedBundle: string;
let cleanBundle: string;
let lyingBundle: string;

async function writePolicy(scan: Record<string, unknown>): Promise<void> {
  await writeFile(join(station.home, 'policy.json'), JSON.stringify({ inspect: { scan } }));
}

/** `outer.tar.gz` holding `inner.zip` holding `deep/marker.txt` (made with python's zipfile and GNU tar). */
async function nestedArchive(dir: string): Promise<void> {
  const work = await makeTemp('airlock-insp-build-');
  await mkdir(join(work, 'deep'));
  await writeFile(join(work, 'deep', 'marker.txt'), markerBytes());
  mustRun('python3', [
    '-c',
    'import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED) as z: z.write(sys.argv[2], "deep/marker.txt")',
    join(work, 'inner.zip'),
    join(work, 'deep', 'marker.txt'),
  ]);
  mustRun('tar', ['-czf', join(dir, 'outer.tar.gz'), '-C', work, 'inner.zip']);
}

async function exportTree(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const src = await makeTemp('airlock-insp-src-');
  const root = join(src, name);
  await mkdir(root);
  for (const [path, content] of Object.entries(files)) await writeFile(join(root, path), content);
  if (name === 'marked') await nestedArchive(root);
  return (await station.exportBundle(await makeTemp('airlock-insp-out-'), name, [root])).bundle.bundlePath;
}

async function importJson(bundle: string): Promise<{ code: number; report: ImportJson; dest: string; text: string }> {
  const dest = await makeTemp('airlock-insp-dest-');
  const result = await station.run(['import', bundle, '--dest', dest, '--passphrase-file', station.passFile, '--allow-replay', '--json']);
  return { code: result.code, report: parseJson<ImportJson>(result), dest, text: describeResult(result) };
}

beforeAll(async () => {
  station = await createStation(await makeTemp('airlock-insp-station-'), 'Inspection Station');
  markedBundle = await exportTree('marked', { 'readme.txt': 'a harmless note\n' });
  cleanBundle = await exportTree('clean', { 'a.txt': 'alpha\n', 'b.txt': 'bravo\n' });
  // A PDF by content, named as a JPEG.
  lyingBundle = await exportTree('lying', { 'photo.jpg': '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n' });
}, 120_000);

describe('import with clamd configured in policy.json', () => {
  it('refuses a marker inside a zip inside a tar.gz: exit 1, MALWARE_FOUND naming the inner path, dest unchanged, audit names the database', async () => {
    await writePolicy({ clamd: clamd().unixAddress });
    const { code, report, dest, text } = await importJson(markedBundle);
    expect(code, text).toBe(1);
    expect(report.ok).toBe(false);
    const inner = report.problems.find((p) => p.code === 'MALWARE_FOUND' && p.members !== undefined);
    expect(inner, text).toMatchObject({ path: 'data/marked/outer.tar.gz', members: ['inner.zip', 'deep/marker.txt'] });
    expect(inner?.message).toContain('"inner.zip" → "deep/marker.txt"');
    expect(inner?.message).toContain(MARKER_SIGNATURE);
    // The outer file's own scan finds it too; nothing else is wrong with the bundle (a .tar.gz is what it says).
    expect(new Set(report.problems.map((p) => p.code))).toEqual(new Set(['MALWARE_FOUND']));
    expect(report.inspection?.scanner?.databaseVersion).toEqual(expect.any(Number));
    expect(await readdir(dest)).toEqual([]);
    const audit = parseJson<{
      events: Array<{ type: string; outcome: string; problemCodes: string[]; details: { inspection?: { scanner: { databaseVersion: number } } } }>;
    }>(await station.run(['audit', 'list', '--type', 'import', '--limit', '1', '--json']));
    expect(audit.events[0]).toMatchObject({ outcome: 'rejected', problemCodes: expect.arrayContaining(['MALWARE_FOUND']) });
    expect(audit.events[0]?.details.inspection?.scanner.databaseVersion).toBe(report.inspection?.scanner?.databaseVersion);
  });

  it('the text report names the inner path, the code, the scan detail and the database', async () => {
    await writePolicy({ clamd: clamd().unixAddress });
    const dest = await makeTemp('airlock-insp-dest-');
    const result = await station.run(['import', markedBundle, '--dest', dest]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('REFUSED  data/marked/outer.tar.gz › inner.zip › deep/marker.txt');
    expect(result.stdout).toMatch(/MALWARE_FOUND; type .*; scan found: Airlock\.Test\.Marker/u);
    expect(result.stdout).toMatch(/Scanner: ClamAV [^\n]*database version \d+/u);
  });

  it('verify reports the same, and carries inspection in --json', async () => {
    await writePolicy({ clamd: clamd().tcpAddress });
    const { code, report } = await station.verify(markedBundle);
    expect(code).toBe(1);
    const json = report as unknown as ImportJson;
    expect(json.problems.some((p) => p.code === 'MALWARE_FOUND' && p.members?.at(-1) === 'deep/marker.txt')).toBe(true);
    expect(json.inspection).toMatchObject({ enabled: true, files: 2, refused: expect.any(Number) });
    const audit = parseJson<{ events: Array<{ details: { inspection?: { scanner: { databaseVersion: number }; codes: string[]; members: number } } }> }>(
      await station.run(['audit', 'list', '--type', 'verify', '--limit', '1', '--json']),
    );
    expect(audit.events[0]?.details.inspection).toMatchObject({
      scanner: { databaseVersion: json.inspection?.scanner?.databaseVersion },
      codes: ['MALWARE_FOUND'],
      members: 1,
    });
  });

  it('verify of a bundle piped on stdin (no file to read archives back from: a private spool) names the inner path alike', async () => {
    await writePolicy({ clamd: clamd().unixAddress });
    const result = await station.spawn(['--json', 'verify', '-'], { stdinFile: markedBundle });
    expect(result.code, describeResult(result)).toBe(1);
    const report = parseJson<ImportJson>(result);
    expect(report.problems.some((p) => p.code === 'MALWARE_FOUND' && p.members?.join(' / ') === 'inner.zip / deep/marker.txt')).toBe(true);
  });

  it('an extension that lies about the content is TYPE_MISMATCH', async () => {
    await writePolicy({ clamd: clamd().unixAddress });
    const { code, report, dest } = await importJson(lyingBundle);
    expect(code).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ code: 'TYPE_MISMATCH', path: 'data/lying/photo.jpg' })]);
    expect(await readdir(dest)).toEqual([]);
  });

  it('clamd stopped: a clean bundle is refused with SCANNER_UNAVAILABLE; started again: it imports, and the receipt names the database', async () => {
    await writePolicy({ clamd: clamd().unixAddress });
    await clamd().stop();
    try {
      const refused = await importJson(cleanBundle);
      expect(refused.code, refused.text).toBe(1);
      expect(refused.report.problems.map((p) => p.code)).toEqual(['SCANNER_UNAVAILABLE']);
      expect(await readdir(refused.dest)).toEqual([]);
      const check = await station.run(['policy', 'check']);
      expect(check.code).toBe(3);
      expect(check.stdout).toContain('SCANNER_UNAVAILABLE');
    } finally {
      await clamd().start();
    }
    const { code, report, text } = await importJson(cleanBundle);
    expect(code, text).toBe(0);
    expect(report.inspection).toMatchObject({ files: 2, refused: 0 });
    expect(report.inspection?.items.map((i) => i.scan)).toEqual(['clean', 'clean']);
    const receipt = JSON.parse(await readFile(report.receipt?.json ?? '', 'utf8')) as {
      inspection: { scanner: { databaseVersion: number } };
      checks: Array<{ check: string }>;
    };
    expect(receipt.inspection.scanner.databaseVersion).toBe(report.inspection?.scanner?.databaseVersion);
    expect(receipt.checks.some((c) => c.check.startsWith('Content inspection'))).toBe(true);
  });

  it('policy check shows the resolved section and the scanner; a typo is CONFIG_INVALID naming the field', async () => {
    await writePolicy({ clamd: clamd().unixAddress });
    const ok = await station.run(['policy', 'check']);
    expect(ok.code, describeResult(ok)).toBe(0);
    expect(ok.stdout).toContain('POLICY OK');
    expect(ok.stdout).toMatch(/database version \d+/u);
    const json = parseJson<{ ok: boolean; scanner: { reachable: boolean }; inspect: { archives: { maxDepth: number } } }>(
      await station.run(['policy', 'check', '--json']),
    );
    expect(json).toMatchObject({ ok: true, scanner: { reachable: true }, inspect: { archives: { maxDepth: 5 } } });
    await writeFile(join(station.home, 'policy.json'), JSON.stringify({ inspect: { scan: { clamd: clamd().unixAddress, maxDatabaseAgeDay: 3 } } }));
    const bad = await station.run(['policy', 'check']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('CONFIG_INVALID');
    expect(bad.stderr).toContain('inspect.scan');
    expect(bad.stderr).toContain('maxDatabaseAgeDay');
  });
});

describe('a stale signature database', () => {
  let stale: ClamdServer;
  beforeAll(async () => {
    stale = await startClamd({ database: { builtAt: daysAgo(30), version: 26000 } });
    return () => disposeClamd(stale);
  }, 120_000);

  it('refuses by default with SCAN_DB_STALE before the payload, and only warns when the policy says warn', async () => {
    await writePolicy({ clamd: stale.unixAddress, maxDatabaseAgeDays: 7 });
    const refused = await importJson(cleanBundle);
    expect(refused.code, refused.text).toBe(1);
    expect(refused.report.problems.map((p) => p.code)).toEqual(['SCAN_DB_STALE']);
    expect(refused.report.problems[0]?.message).toContain('30 days old');
    await writePolicy({ clamd: stale.unixAddress, maxDatabaseAgeDays: 7, onStaleDatabase: 'warn' });
    const warned = await importJson(cleanBundle);
    expect(warned.code, warned.text).toBe(0);
    expect(warned.report.warnings.some((w) => w.includes('older than'))).toBe(true);
  });
});
