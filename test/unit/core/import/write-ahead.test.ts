/**
 * Import's large files written by the verify pass's lanes as they hash them (import/staging.ts
 * writesAhead, verify/parallel/parallel-payload.ts): the import lands the same files with the
 * same report as the sequential pass; a file that fails its checksum, a repeated entry and a
 * cancel leave the destination as it was; a repeated listed entry is written ahead once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type StationDb } from '../../../../electron/core/db/station-db.js';
import { nextImportTarget } from '../../../helpers/import-target.js';
import { AirlockError } from '../../../../electron/core/errors.js';
import { importBundle, type ImportResult } from '../../../../electron/core/import/import-bundle.js';
import { StagingDirectory } from '../../../../electron/core/import/staging.js';
import { DEFAULT_POLICY } from '../../../../electron/core/policy/station-policy.js';
import type { PayloadLanes } from '../../../../electron/core/verify/check-bundle.js';
import { makeSigner, signedBag, tarOf, type RawEntry, type TestSigner } from '../../../helpers/hostile-tar.js';

/** The lanes on every file over 256 KiB (smaller ones are staged whole by the walk), on any bundle. */
const LANES: PayloadLanes = { minBundleBytes: 0, claimMinBytes: 1, scoutReadBytes: 512 };

let root: string;
let signer: TestSigner;
let db: StationDb;
let dest: string;
let n = 0;
const files = [
  { path: 'data/a.bin', content: randomBytes(2 << 20) },
  { path: 'data/small.txt', content: Buffer.from('small\n') },
  { path: 'data/dir/b.bin', content: randomBytes(700 << 10) },
  { path: 'data/dir/c.bin', content: randomBytes((1 << 20) + 513) },
];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-write-ahead-'));
  signer = await makeSigner('Sender');
});
afterAll(async () => {
  db?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  ({ dest, db } = await nextImportTarget(root, (n += 1), db));
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function bundleOf(edit: (entries: RawEntry[]) => RawEntry[] = (entries) => entries): Promise<string> {
  const bag = await signedBag(signer, files, { name: `bag${n}` });
  const path = join(root, `bag${n}-${Math.random().toString(36).slice(2)}.airlock.tar`);
  await writeFile(path, tarOf([...bag.tagEntries, ...edit(bag.payloadEntries)]));
  return path;
}

/** One clock for both passes: the signature-date finding quotes it. */
const now = new Date();

function run(bundlePath: string, lanes: PayloadLanes, extra: Partial<Parameters<typeof importBundle>[0]> = {}): Promise<ImportResult> {
  return importBundle({
    bundlePath,
    destDir: dest,
    trusted: [signer.trusted],
    policy: DEFAULT_POLICY,
    db,
    operator: 'receiver',
    payloadLanes: lanes,
    now,
    ...extra,
  });
}

/** The report without the destination folder (it differs between two imports) and the staged audit rows (released once recorded; counted). */
function reportOf(result: ImportResult): Record<string, unknown> {
  const { destination: _destination, payloadFiles, ...rest } = result;
  return { ...rest, payloadFiles: payloadFiles.length };
}

function spyAhead() {
  return vi.spyOn(StagingDirectory.prototype as unknown as { createAhead: (size: number) => Promise<unknown> }, 'createAhead');
}

describe('import with large files written ahead by the lanes', () => {
  it('lands every file byte for byte, mode 0644, with the sequential pass report, and leaves no staging', async () => {
    const bundle = await bundleOf();
    const ahead = spyAhead();
    const parallel = await run(bundle, LANES);
    expect(ahead).toHaveBeenCalledTimes(3);
    expect(parallel.ok).toBe(true);
    const landed = join(dest, `bag${n}`);
    expect(await readdir(dest)).toEqual([`bag${n}`]);
    for (const file of files) {
      const path = join(landed, file.path.slice('data/'.length));
      expect((await readFile(path)).equals(file.content)).toBe(true);
      expect((await stat(path)).mode & 0o777).toBe(0o644 & ~process.umask());
    }
    expect((await readdir(join(landed, 'dir'))).sort()).toEqual(['b.bin', 'c.bin']);

    // The same import by the sequential pass, at another station (so no replay finding differs).
    ({ dest, db } = await nextImportTarget(root, `${n}-sequential`, db));
    ahead.mockClear();
    const sequential = await run(bundle, 'off');
    expect(ahead).not.toHaveBeenCalled();
    expect(reportOf(parallel)).toEqual(reportOf(sequential));
  });

  it('a large file that fails its checksum refuses the import as the sequential pass does; nothing lands', async () => {
    const bundle = await bundleOf((entries) =>
      entries.map((entry) => {
        if (!entry.path.endsWith('/data/dir/c.bin')) return entry;
        const body = Buffer.from(entry.body as Buffer);
        body.writeUInt8((body.at(-1) ?? 0) ^ 1, body.length - 1);
        return { ...entry, body };
      }),
    );
    const ahead = spyAhead();
    const parallel = await run(bundle, LANES);
    expect(ahead).toHaveBeenCalled();
    expect(parallel.ok).toBe(false);
    expect(parallel.problems.map((p) => p.code)).toEqual(['CHECKSUM_MISMATCH']);
    expect(await readdir(dest)).toEqual([]);
    const sequential = await run(bundle, 'off');
    expect(reportOf(parallel)).toEqual(reportOf(sequential));
    expect(await readdir(dest)).toEqual([]);
  });

  it('a listed large file repeated in the archive is DUPLICATE_ENTRY, and written ahead only once (each path once, within the signed Payload-Oxum)', async () => {
    const bundle = await bundleOf((entries) => {
      const big = entries.find((entry) => entry.path.endsWith('/data/a.bin')) as RawEntry;
      return [...entries, big, big, big];
    });
    const ahead = spyAhead();
    const parallel = await run(bundle, LANES);
    expect(parallel.ok).toBe(false);
    expect(parallel.problems.map((p) => p.code)).toContain('DUPLICATE_ENTRY');
    expect(ahead).toHaveBeenCalledTimes(3);
    expect(await readdir(dest)).toEqual([]);
    const sequential = await run(bundle, 'off');
    expect(reportOf(parallel)).toEqual(reportOf(sequential));
  });

  it('a cancel while the lanes write ends the import with CANCELLED; nothing lands and no staging is left', async () => {
    const bundle = await bundleOf();
    const controller = new AbortController();
    const original = (StagingDirectory.prototype as unknown as { createAhead: (size: number) => Promise<unknown> }).createAhead;
    spyAhead().mockImplementation(async function (this: StagingDirectory, size: number) {
      const file = await original.call(this, size);
      controller.abort();
      return file;
    });
    const error = await run(bundle, LANES, { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('CANCELLED');
    expect(await readdir(dest)).toEqual([]);
  });
});
