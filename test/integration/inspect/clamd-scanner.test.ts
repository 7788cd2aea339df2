/**
 * The clamd client against Debian's real clamd (issue #16.4, #16.8): only `stream: OK` is clean;
 * a marker (also inside a zip clamd unpacks) is found by name; a stream over StreamMaxLength, a
 * killed clamd, a stopped one are never clean; VERSION and the database headers give the age.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClamdScanner } from '../../../electron/core/inspect/clamd/clamd-scanner.js';
import { CommandScanner } from '../../../electron/core/inspect/command-scanner.js';
import type { Scanner, ScanVerdict } from '../../../electron/core/inspect/contract.js';
import { MARKER_SIGNATURE, daysAgo, markerBytes } from '../../helpers/clamav-database.js';
import { type ClamdServer, disposeClamd, startClamd, useClamdServer } from '../../helpers/clamd-server.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun, tool } from '../../helpers/tools.js';

const tempDir = useTempDirs();

async function scanBytes(scanner: Scanner, bytes: Buffer, chunkBytes = 64 * 1024): Promise<ScanVerdict> {
  const scan = await scanner.begin();
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) await scan.write(bytes.subarray(offset, offset + chunkBytes));
  return scan.finish();
}

function scannerAt(address: string, databaseDir: string | null = null): ClamdScanner {
  return new ClamdScanner(address, { timeoutMs: 60_000, databaseDir });
}

/** A zip (made by python's zipfile, deflated) holding `name` with `bytes`. */
async function zipOf(name: string, bytes: Buffer): Promise<Buffer> {
  const dir = await tempDir();
  await writeFile(join(dir, 'member'), bytes);
  const out = join(dir, 'out.zip');
  mustRun('python3', [
    '-c',
    'import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED) as z: z.write(sys.argv[2], sys.argv[3])',
    out,
    join(dir, 'member'),
    name,
  ]);
  return readFile(out);
}

describe('clamd scanner against a real clamd (StreamMaxLength 1M)', () => {
  const clamd = useClamdServer({ streamMaxLength: '1M' });

  for (const transport of ['unix', 'tcp'] as const) {
    describe(`over ${transport}`, () => {
      const scanner = (): ClamdScanner => scannerAt(transport === 'unix' ? clamd().unixAddress : clamd().tcpAddress);

      it('calls a clean file clean', async () => {
        expect(await scanBytes(scanner(), Buffer.from('plain harmless text\n'.repeat(1000)))).toEqual({ outcome: 'clean', detail: null });
      });

      it('finds the marker by its signature name', async () => {
        const verdict = await scanBytes(scanner(), markerBytes());
        expect(verdict.outcome).toBe('found');
        expect(verdict.detail).toContain(MARKER_SIGNATURE);
      });

      it('finds the marker inside a zip clamd unpacks', async () => {
        const verdict = await scanBytes(scanner(), await zipOf('inner/report.txt', Buffer.concat([Buffer.alloc(200_000, 'a'), markerBytes()])));
        expect(verdict.outcome).toBe('found');
        expect(verdict.detail).toContain(MARKER_SIGNATURE);
      });

      it('never calls a stream over StreamMaxLength clean: an error with clamd’s words', async () => {
        const verdict = await scanBytes(scanner(), Buffer.alloc(3 * 1024 * 1024, 'b'), 256 * 1024);
        expect(verdict.outcome).toBe('error');
        // clamd says so and closes; over TCP its words may be lost to the reset our next write causes.
        expect(verdict.detail).toMatch(/size limit exceeded|EPIPE|ECONNRESET/iu);
      });

      it('an empty stream is scanned like any other (clean)', async () => {
        expect(await scanBytes(scanner(), Buffer.alloc(0))).toEqual({ outcome: 'clean', detail: null });
      });
    });
  }

  it('a marker just under StreamMaxLength is still found (the limit is not a blind spot below it)', async () => {
    const bytes = Buffer.concat([Buffer.alloc(1024 * 1024 - 200, 'c'), markerBytes()]);
    const verdict = await scanBytes(scannerAt(clamd().unixAddress), bytes);
    expect(verdict.outcome).toBe('found');
  });

  it('scans many files at once, each with its own verdict', async () => {
    const scanner = scannerAt(clamd().unixAddress);
    const verdicts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => scanBytes(scanner, i % 3 === 0 ? markerBytes(`file ${i} `) : Buffer.from(`clean file ${i}\n`))),
    );
    expect(verdicts.map((v) => v.outcome)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 'found' : 'clean')));
  });

  it('status: reachable, engine and database version and age from VERSION', async () => {
    const now = new Date();
    const status = await scannerAt(clamd().unixAddress).status(now);
    expect(status).toMatchObject({
      kind: 'clamd',
      reachable: true,
      databaseVersion: 27_000,
      databaseSource: 'version-command',
      databaseAgeDays: 0,
      error: null,
    });
    expect(status.engineVersion).toMatch(/^ClamAV \d+\.\d+/u);
    expect(Math.abs(new Date(status.databaseDate ?? 0).getTime() - now.getTime())).toBeLessThan(2 * 86_400_000);
  });

  it('clamdscan --stream as a command scanner: exit 0 clean, 1 found', async () => {
    const scanner = new CommandScanner({
      argv: ['clamdscan', `--config-file=${clamd().configPath}`, '--no-summary', '--stream', '{}'],
      cleanExitCodes: [0],
      infectedExitCodes: [1],
      timeoutMs: 60_000,
      databaseDir: clamd().databaseDir,
      tempRoot: await tempDir(),
    });
    const clean = await scanner.begin();
    await clean.write(Buffer.from('harmless'));
    expect(await clean.finish()).toEqual({ outcome: 'clean', detail: null });
    const found = await scanner.begin();
    await found.write(markerBytes());
    const foundVerdict = await found.finish();
    expect(foundVerdict.outcome).toBe('found');
    expect(foundVerdict.detail).toContain(MARKER_SIGNATURE);
    expect((await scanner.status(new Date())).databaseAgeDays).toBe(0);
  });

  it('clamav#1319 differential: clamdscan --stream cuts a file at StreamMaxLength and says OK; the client says error for the same bytes', async () => {
    const bytes = Buffer.concat([Buffer.alloc(2 * 1024 * 1024, 'e'), markerBytes()]);
    const dir = await tempDir();
    await writeFile(join(dir, 'big.bin'), bytes);
    const clamdscan = tool('clamdscan', [`--config-file=${clamd().configPath}`, '--no-summary', '--stream', join(dir, 'big.bin')]);
    // Pinned so the docs' warning stays true: a command scanner cannot see this silent pass.
    expect(clamdscan.status).toBe(0);
    expect(clamdscan.stdout).toMatch(/: OK$/mu);
    const verdict = await scanBytes(scannerAt(clamd().unixAddress), bytes);
    expect(verdict.outcome).toBe('error');
  });

  it('RELOAD is answered', async () => {
    await expect(scannerAt(clamd().tcpAddress).reload()).resolves.toBeUndefined();
  });
});

describe('clamd gone: stopped, killed mid-scan, never started', () => {
  let server: ClamdServer | null = null;
  afterAll(async () => {
    if (server) await disposeClamd(server);
  });

  it('a scan whose clamd is killed mid-stream is an error, never clean; a stopped clamd is unavailable; started again it scans', async () => {
    server = await startClamd();
    const scanner = scannerAt(server.unixAddress);
    const scan = await scanner.begin();
    await scan.write(Buffer.alloc(128 * 1024, 'd'));
    await server.kill();
    await scan.write(Buffer.alloc(128 * 1024, 'd')).catch(() => undefined);
    const verdict = await scan.finish();
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toBeTruthy();

    const whileDown = await scanBytes(scanner, Buffer.from('clean'));
    expect(whileDown.outcome).toBe('unavailable');
    const tcpDown = await scanBytes(scannerAt(server.tcpAddress), Buffer.from('clean'));
    expect(tcpDown.outcome).toBe('unavailable');
    const status = await scanner.status(new Date());
    expect(status.reachable).toBe(false);
    expect(status.error).toMatch(/not reachable/u);

    await server.start();
    expect(await scanBytes(scanner, Buffer.from('clean'))).toEqual({ outcome: 'clean', detail: null });
  });

  it('a socket path where nothing listens is unavailable, not an error', async () => {
    const dir = await tempDir();
    const verdict = await scanBytes(scannerAt(`unix:${join(dir, 'no.sock')}`), Buffer.from('x'));
    expect(verdict.outcome).toBe('unavailable');
  });
});

describe('database age', () => {
  it('a stale database (built 40 days ago) is loaded and its age read from VERSION', async () => {
    const now = new Date();
    const server = await startClamd({ database: { builtAt: daysAgo(40, now), version: 26_500 } });
    try {
      const status = await scannerAt(server.unixAddress).status(now);
      expect(status).toMatchObject({ reachable: true, databaseVersion: 26_500, databaseSource: 'version-command', error: null });
      expect(status.databaseAgeDays).toBeGreaterThanOrEqual(39);
      expect(status.databaseAgeDays).toBeLessThanOrEqual(41);
      // A stale database still scans: staleness is the policy's decision, not the client's.
      expect((await scanBytes(scannerAt(server.unixAddress), markerBytes())).outcome).toBe('found');
    } finally {
      await disposeClamd(server);
    }
  });

  it('where VERSION is silent, the headers in databaseDir give version and date; without them the age is unknown and said so', async () => {
    const now = new Date();
    const server = await startClamd({ database: 'silent' });
    try {
      const silent = await scannerAt(server.unixAddress).status(now);
      expect(silent).toMatchObject({ reachable: true, databaseVersion: null, databaseAgeDays: null });
      expect(silent.error).toMatch(/unknown/u);

      const headersDir = await tempDir();
      const { writeDatabaseContainer } = await import('../../helpers/clamav-database.js');
      await writeDatabaseContainer(headersDir, { name: 'main', version: 62, builtAt: daysAgo(300, now) });
      await writeDatabaseContainer(headersDir, { name: 'daily', version: 27_123, builtAt: daysAgo(3, now) });
      await mkdir(join(headersDir, 'not-a-container.cvd'));
      await writeFile(join(headersDir, 'junk.cld'), 'short');
      const status = await scannerAt(server.unixAddress, headersDir).status(now);
      expect(status).toMatchObject({ reachable: true, databaseVersion: 27_123, databaseAgeDays: 3, databaseSource: 'database-header', error: null });
    } finally {
      await disposeClamd(server);
    }
  });
});

describe('clamd limits are never a pass (MaxRecursion 2)', () => {
  const clamd = useClamdServer({ maxRecursion: 2 });

  it('a marker nested deeper than clamd unpacks is not clean: an error naming the limit', async () => {
    let bytes = markerBytes();
    for (let depth = 1; depth <= 4; depth++) bytes = await zipOf(`level${depth}.bin`, bytes);
    const verdict = await scanBytes(scannerAt(clamd().unixAddress), bytes);
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toMatch(/Limits\.Exceeded/u);
  });

  it('the same marker one level deep is found', async () => {
    const verdict = await scanBytes(scannerAt(clamd().unixAddress), await zipOf('a.txt', markerBytes()));
    expect(verdict.outcome).toBe('found');
  });
});
