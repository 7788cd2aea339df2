import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from '../../../../shared/progress.js';
import { writeBundle, type WriteBundleOptions } from '../../../../electron/core/export/write-bundle.js';
import { checkBundle } from '../../../../electron/core/verify/check-bundle.js';
import { AirlockError } from '../../../../electron/core/errors.js';
import { combineSignatures, openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';
import { parseManifest } from '../../../../electron/core/bundle/manifest.js';
import type { WriteBundleResult } from '../../../../electron/core/export/write-bundle.js';

let root: string;
let signer: TestSigner;
let src: string;
let out: string;
let n = 0;

/** Bytes this process has read through read(2) and friends, page cache included (Linux /proc/self/io). */
function bytesReadByThisProcess(): number {
  return Number(/^rchar: (\d+)$/mu.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-writer-'));
  signer = await makeSigner('Writer');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  n += 1;
  src = join(root, `src${n}`, 'payload');
  out = join(root, `out${n}`);
  await mkdir(join(src, 'sub'), { recursive: true });
  await mkdir(out);
  await writeFile(join(src, 'b.txt'), 'bravo');
  await writeFile(join(src, 'a.txt'), 'alpha');
  await writeFile(join(src, 'sub', 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 1));
});

function options(extra: Partial<WriteBundleOptions> = {}): WriteBundleOptions {
  return {
    selection: [src],
    outDir: out,
    name: 'bundle',
    sequence: 7,
    identity: { station: 'st', operator: 'op', organization: 'Org' },
    signers: [openpgpSigner(signer.privateKey)],
    ...extra,
  };
}

/** A signer the export may not ask twice (like a GnuPG smartcard key): the export then takes two passes. */
function twoPassSigners(): WriteBundleOptions['signers'] {
  return [{ ...openpgpSigner(signer.privateKey), signsInProcess: false }];
}

/** Every payload file of the bundle, extracted by GNU tar, against the given expected contents. */
function expectPayload(bundlePath: string, expected: Record<string, Buffer>): void {
  const dir = join(root, `extract${n}`);
  mkdirSync(dir);
  execFileSync('tar', ['xf', bundlePath, '-C', dir]);
  for (const [path, bytes] of Object.entries(expected)) {
    expect(readFileSync(join(dir, 'bundle', 'data', 'payload', path)).equals(bytes), path).toBe(true);
  }
}

/** The result's per-file rows (for the audit log) are the signed manifest's lines, in order, with each file's size; read twice as the audit store does. */
function expectRowsAsManifest(result: WriteBundleResult): void {
  const manifest = parseManifest(execFileSync('tar', ['xOf', result.bundlePath, 'bundle/manifest-sha256.txt'], { encoding: 'utf8' }));
  if (!manifest.ok) throw new Error('the manifest does not parse');
  const listing = execFileSync('tar', ['tvf', result.bundlePath], { encoding: 'utf8' }).trim().split('\n');
  const sizeOf = (path: string): number => Number(listing.find((line) => line.endsWith(` bundle/${path}`))?.split(/\s+/u)[2]);
  const expected = manifest.entries.map((e) => ({ path: e.path, size: sizeOf(e.path), sha256: e.sha256 }));
  expect(result.payloadFiles.length).toBe(expected.length);
  expect([...result.payloadFiles]).toEqual(expected);
  expect([...result.payloadFiles]).toEqual(expected);
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AirlockError);
  expect((error as AirlockError).code).toBe(code);
}

describe('writeBundle', () => {
  it('writes tag files first, then the payload in byte order, and the result verifies', async () => {
    const result = await writeBundle(options());
    const listing = execFileSync('tar', ['tf', result.bundlePath], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual([
      'bundle/bagit.txt',
      'bundle/bag-info.txt',
      'bundle/manifest-sha256.txt',
      'bundle/tagmanifest-sha256.txt',
      'bundle/tagmanifest-sha256.txt.asc',
      'bundle/data/payload/a.txt',
      'bundle/data/payload/b.txt',
      'bundle/data/payload/sub/big.bin',
    ]);
    expect(await readdir(out)).toEqual(['bundle.airlock.tar']);
    const check = await checkBundle({ bundlePath: result.bundlePath, trusted: [signer.trusted] });
    expect(check.problems).toEqual([]);
    expect(check.bundle).toMatchObject({ uuid: result.uuid, sequence: 7, station: 'st', operator: 'op', files: 3 });
    expect(result.bundleBytes).toBe((await import('node:fs')).statSync(result.bundlePath).size);
    expectRowsAsManifest(result);
  });

  it('reports progress through every phase with totals', async () => {
    const phases = new Set<string>();
    let last: Progress | undefined;
    await writeBundle(options({ onProgress: (p) => ((last = p), phases.add(p.phase)) }));
    expect([...phases]).toEqual(['scanning', 'hashing-and-writing', 'signing', 'writing-tag-files', 'syncing']);
    expect(last?.bytesDone).toBe(last?.bytesTotal);
  });

  describe('one-pass (the station key signs in process: one-pass-layout.ts)', () => {
    it('writes many files on both lanes byte for byte, small and large, and the result verifies', async () => {
      const expected: Record<string, Buffer> = {};
      await mkdir(join(src, 'many'), { recursive: true });
      for (let i = 0; i < 120; i += 1) {
        // Every tenth file is over the small-file size: streamed in chunks rather than read whole.
        const bytes = i % 10 === 0 ? Buffer.alloc(300 * 1024 + i, i) : Buffer.from(`file ${i} `.repeat(1 + (i % 37)));
        const path = `many/f${String(i).padStart(3, '0')}.txt`;
        await writeFile(join(src, path), bytes);
        expected[path] = bytes;
      }
      await writeFile(join(src, 'empty'), '');
      const result = await writeBundle(options());
      expectPayload(result.bundlePath, { ...expected, empty: Buffer.alloc(0), 'a.txt': Buffer.from('alpha'), 'sub/big.bin': Buffer.alloc(3 * 1024 * 1024, 1) });
      const check = await checkBundle({ bundlePath: result.bundlePath, trusted: [signer.trusted] });
      expect(check.problems).toEqual([]);
      expect(check.bundle.files).toBe(124);
      expectRowsAsManifest(result);
      expect(result.bundleBytes).toBe((await import('node:fs')).statSync(result.bundlePath).size);
    });

    it('refuses a large file modified after the scan, even at the same size, leaving nothing', async () => {
      const onProgress = (p: Progress): void => {
        if (p.phase === 'hashing-and-writing' && p.bytesDone === 0) writeFileSync(join(src, 'sub', 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 2));
      };
      await expectCode(writeBundle(options({ onProgress })), 'SOURCE_CHANGED');
      expect(await readdir(out)).toEqual([]);
    });

    it('refuses a small file that grew or shrank after the scan, leaving nothing', async () => {
      for (const content of ['alpha and more', 'al']) {
        const onProgress = (p: Progress): void => {
          if (p.phase === 'hashing-and-writing' && p.bytesDone === 0) writeFileSync(join(src, 'a.txt'), content);
        };
        await expectCode(writeBundle(options({ onProgress })), 'SOURCE_CHANGED');
        expect(await readdir(out)).toEqual([]);
        await writeFile(join(src, 'a.txt'), 'alpha');
      }
    });

    it('does not follow a source swapped for a symbolic link after the scan (O_NOFOLLOW)', async () => {
      // As long as b.txt: only the refusal to follow the link can stop it, not a size check.
      await writeFile(join(root, `secret${n}`), 'SECRT');
      const onProgress = (p: Progress): void => {
        if (p.phase === 'hashing-and-writing' && p.bytesDone === 0) {
          rmSync(join(src, 'b.txt'));
          symlinkSync(join(root, `secret${n}`), join(src, 'b.txt'));
        }
      };
      await expectCode(writeBundle(options({ onProgress })), 'SOURCE_UNSUPPORTED_TYPE');
      expect(await readdir(out)).toEqual([]);
    });

    it('does not hang on a source swapped for a FIFO after the scan (O_NONBLOCK)', async () => {
      const onProgress = (p: Progress): void => {
        if (p.phase === 'hashing-and-writing' && p.bytesDone === 0) {
          rmSync(join(src, 'b.txt'));
          execFileSync('mkfifo', [join(src, 'b.txt')]);
        }
      };
      await expectCode(writeBundle(options({ onProgress })), 'SOURCE_CHANGED');
      expect(await readdir(out)).toEqual([]);
    });

    it.runIf(process.platform === 'linux')('cancels promptly from outside (as Ctrl-C or the app would) while one large file is being read', async () => {
      // One large sparse file, on this thread's lane alone (too few files for the worker).
      await rm(join(src, 'sub', 'big.bin'));
      execFileSync('truncate', ['-s', '2G', join(src, 'sub', 'big.bin')]);
      const controller = new AbortController();
      let readAtCancel = -1;
      const onProgress = (p: Progress): void => {
        // Once the large file is being read (the small files are a few bytes each).
        if (p.phase === 'hashing-and-writing' && p.bytesDone > 1 << 20 && readAtCancel < 0) {
          readAtCancel = 0;
          // From outside the read loop, on a later turn of the event loop (a signal handler's, a click's).
          setImmediate(() => {
            readAtCancel = bytesReadByThisProcess();
            controller.abort();
          });
        }
      };
      await expectCode(writeBundle(options({ signal: controller.signal, onProgress })), 'CANCELLED');
      // Promptly is counted in bytes, not milliseconds (a loaded machine stretches time, not bytes):
      // the cancel lands within a few chunks, far short of the 2 GiB a finished read would take.
      expect(readAtCancel).toBeGreaterThan(0);
      expect(bytesReadByThisProcess() - readAtCancel).toBeLessThan(256 << 20);
      expect(await readdir(out)).toEqual([]);
    });

    it('writes the two-pass way when the signature does not fit the room left for it, and the bundle verifies', async () => {
      const inProcess = openpgpSigner(signer.privateKey);
      let calls = 0;
      // The stand-in signature is one packet; the real one two (as if two signers): a block longer.
      const growing = {
        ...inProcess,
        sign: async (data: Uint8Array, date?: Date) => {
          calls += 1;
          const one = await inProcess.sign(data, date);
          return calls === 1 ? one : combineSignatures([one, await inProcess.sign(data, date)]);
        },
      };
      const result = await writeBundle(options({ signers: [growing] }));
      expect(calls).toBe(2);
      const check = await checkBundle({ bundlePath: result.bundlePath, trusted: [signer.trusted] });
      expect(check.problems).toEqual([]);
      expect(await readdir(out)).toEqual(['bundle.airlock.tar']);
      expectPayload(result.bundlePath, { 'a.txt': Buffer.from('alpha'), 'sub/big.bin': Buffer.alloc(3 * 1024 * 1024, 1) });
      expectRowsAsManifest(result);
    });
  });

  describe('in two passes (a GnuPG key, which is never asked to sign twice)', () => {
    it('aborts when a source file changes between hashing and writing, leaving nothing', async () => {
      const onProgress = (p: Progress): void => {
        if (p.phase === 'writing' && p.bytesDone === 0) writeFileSync(join(src, 'sub', 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 2));
      };
      await expectCode(writeBundle(options({ signers: twoPassSigners(), onProgress })), 'SOURCE_CHANGED');
      expect(await readdir(out)).toEqual([]);
    });

    it('aborts when a source file grows between hashing and writing', async () => {
      const onProgress = (p: Progress): void => {
        if (p.phase === 'writing' && p.bytesDone === 0) writeFileSync(join(src, 'a.txt'), 'alpha and more');
      };
      await expectCode(writeBundle(options({ signers: twoPassSigners(), onProgress })), 'SOURCE_CHANGED');
      expect(await readdir(out)).toEqual([]);
    });

    it('writes the same layout as the one-pass export, and the result verifies', async () => {
      const result = await writeBundle(options({ signers: twoPassSigners() }));
      const check = await checkBundle({ bundlePath: result.bundlePath, trusted: [signer.trusted] });
      expect(check.problems).toEqual([]);
      expectPayload(result.bundlePath, { 'a.txt': Buffer.from('alpha'), 'b.txt': Buffer.from('bravo'), 'sub/big.bin': Buffer.alloc(3 * 1024 * 1024, 1) });
      expectRowsAsManifest(result);
    });
  });

  it('cancels mid-write and removes the temp file', async () => {
    const controller = new AbortController();
    const onProgress = (p: Progress): void => {
      if (p.phase === 'writing-tag-files' && p.bytesDone > 0) controller.abort();
    };
    await expectCode(writeBundle(options({ signal: controller.signal, onProgress })), 'CANCELLED');
    expect(await readdir(out)).toEqual([]);
  });

  describe('with the digests spilled to a spool (bundle/digest-table.ts)', () => {
    /** Descriptors of this process open on a file in `dir` (Linux; elsewhere none are seen). */
    const openIn = (dir: string): number =>
      process.platform !== 'linux'
        ? 0
        : readdirSync('/proc/self/fd').filter((fd) => {
            try {
              return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
            } catch {
              return false;
            }
          }).length;

    it('writes the same bundle; the rows read the spill until released, then nothing is left open or named', async () => {
      for (let i = 0; i < 40; i += 1) writeFileSync(join(src, `n${i}.txt`), `file ${i}`);
      const spool = join(root, `spool${n}`);
      const result = await writeBundle(options({ digestSpill: { dir: spool, minFiles: 2 } }));
      expect(openIn(spool)).toBe(process.platform === 'linux' ? 1 : 0);
      expectRowsAsManifest(result);
      const check = await checkBundle({ bundlePath: result.bundlePath, trusted: [signer.trusted] });
      expect(check.problems).toEqual([]);
      const exportedRows = [...result.payloadFiles];
      result.payloadFiles.release?.();
      expect(openIn(spool)).toBe(0);
      expect(readdirSync(spool)).toEqual([]);
      expect(() => [...result.payloadFiles]).toThrow(expect.objectContaining({ code: 'INTERNAL' }) as Error);

      // Verify's side (compact/digest-column.ts): the rows hold the spill until released; a refused bundle's is released by checkBundle.
      const verifySpool = join(root, `verify-spool${n}`);
      const verified = await checkBundle({ bundlePath: result.bundlePath, trusted: [signer.trusted], digestSpill: { dir: verifySpool, minFiles: 2 } });
      expect(verified.ok).toBe(true);
      expect(verified.payload.length).toBe(43);
      expect(openIn(verifySpool)).toBe(process.platform === 'linux' ? 1 : 0);
      expect([...verified.payload].map((row) => ({ ...row, path: row.path.replace(/^data\//u, '') }))).toEqual(
        exportedRows.map((row) => ({ ...row, path: row.path.replace(/^data\//u, '') })),
      );
      verified.payload.release?.();
      expect(openIn(verifySpool)).toBe(0);
      const stranger = await makeSigner('Stranger');
      const refused = await checkBundle({ bundlePath: result.bundlePath, trusted: [stranger.trusted], digestSpill: { dir: verifySpool, minFiles: 2 } });
      expect(refused.ok).toBe(false);
      expect(openIn(verifySpool)).toBe(0);
      expect(readdirSync(verifySpool)).toEqual([]);
    });

    it('releases the spill when the export fails or is cancelled after the pass', async () => {
      const spool = join(root, `spool${n}`);
      const controller = new AbortController();
      const onProgress = (p: Progress): void => {
        if (p.phase === 'writing-tag-files' && p.bytesDone > 0) controller.abort();
      };
      await expectCode(writeBundle(options({ digestSpill: { dir: spool, minFiles: 2 }, signal: controller.signal, onProgress })), 'CANCELLED');
      expect(openIn(spool)).toBe(0);
      expect(readdirSync(spool)).toEqual([]);
      expect(await readdir(out)).toEqual([]);
    });
  });

  it('never overwrites an existing bundle', async () => {
    await writeFile(join(out, 'bundle.airlock.tar'), 'precious');
    await expectCode(writeBundle(options()), 'OUTPUT_EXISTS');
    expect(await readdir(out)).toEqual(['bundle.airlock.tar']);
  });

  it('refuses unsafe bundle names', async () => {
    for (const name of ['../x', '.hidden', 'a/b', '', 'x'.repeat(101), 'spaces here']) {
      await expectCode(writeBundle(options({ name })), 'INVALID_NAME');
    }
  });

  describe('in two passes with a spool for small files (payload-spool.ts; GnuPG signers, removable media)', () => {
    let spoolDir: string;
    beforeEach(() => {
      spoolDir = join(root, `spool${n}`);
    });

    it('writes many small files from the spool byte for byte (both hashing lanes), and leaves no spool behind', async () => {
      const expected: Record<string, Buffer> = {};
      for (let i = 0; i < 300; i += 1) {
        const bytes = Buffer.from(`file ${i} `.repeat(1 + (i % 37)));
        const path = `many/f${String(i).padStart(3, '0')}.txt`;
        await mkdir(join(src, 'many'), { recursive: true });
        await writeFile(join(src, path), bytes);
        expected[path] = bytes;
      }
      const result = await writeBundle(options({ signers: twoPassSigners(), spoolDir }));
      expectPayload(result.bundlePath, { ...expected, 'a.txt': Buffer.from('alpha'), 'sub/big.bin': Buffer.alloc(3 * 1024 * 1024, 1) });
      const check = await checkBundle({ bundlePath: result.bundlePath, trusted: [signer.trusted] });
      expect(check.problems).toEqual([]);
      expect(check.bundle.files).toBe(303);
      expect(await readdir(spoolDir)).toEqual([]);
    });

    it('stops the hashing lane and leaves nothing when the scan fails after hashing has begun', async () => {
      await mkdir(join(src, 'many'));
      for (let i = 0; i < 200; i += 1) await writeFile(join(src, 'many', `f${String(i).padStart(3, '0')}.txt`), `file ${i}`);
      // Walked last (byte order): by then the worker lane has hashed the files above.
      await symlink('/etc/passwd', join(src, 'zz-link'));
      await expectCode(writeBundle(options({ signers: twoPassSigners(), spoolDir })), 'SOURCE_UNSUPPORTED_TYPE');
      expect(await readdir(out)).toEqual([]);
      expect(await readdir(spoolDir)).toEqual([]);
    });

    it('writes the bytes that were hashed and signed when a small file changes after hashing', async () => {
      const onProgress = (p: Progress): void => {
        if (p.phase === 'writing' && p.bytesDone === 0) writeFileSync(join(src, 'a.txt'), 'ALPHA, edited after hashing');
      };
      const result = await writeBundle(options({ signers: twoPassSigners(), spoolDir, onProgress }));
      expectPayload(result.bundlePath, { 'a.txt': Buffer.from('alpha') });
      const check = await checkBundle({ bundlePath: result.bundlePath, trusted: [signer.trusted] });
      expect(check.problems).toEqual([]);
    });

    it('still refuses a large file that changes after hashing (it is read again), leaving nothing', async () => {
      const onProgress = (p: Progress): void => {
        if (p.phase === 'writing' && p.bytesDone === 0) writeFileSync(join(src, 'sub', 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 2));
      };
      await expectCode(writeBundle(options({ signers: twoPassSigners(), spoolDir, onProgress })), 'SOURCE_CHANGED');
      expect(await readdir(out)).toEqual([]);
      expect(await readdir(spoolDir)).toEqual([]);
    });

    it('removes the spool when the export is cancelled', async () => {
      const controller = new AbortController();
      const onProgress = (p: Progress): void => {
        if (p.phase === 'writing' && p.bytesDone > 0) controller.abort();
      };
      await expectCode(writeBundle(options({ signers: twoPassSigners(), spoolDir, signal: controller.signal, onProgress })), 'CANCELLED');
      expect(await readdir(out)).toEqual([]);
      expect(await readdir(spoolDir)).toEqual([]);
    });

    it('reads the sources again when the spool folder lacks the room (tmpfs), and the bundle is the same', async () => {
      const mnt = await mkdtemp(join(tmpdir(), 'airlock-spool-tmpfs-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
      try {
        const onProgress = (p: Progress): void => {
          if (p.phase === 'writing' && p.bytesDone === 0) writeFileSync(join(src, 'a.txt'), 'alpha and more');
        };
        // Without a spool the small file is read again, so its change is caught.
        await expectCode(writeBundle(options({ signers: twoPassSigners(), spoolDir: mnt, onProgress })), 'SOURCE_CHANGED');
        expect(await readdir(mnt)).toEqual([]);
      } finally {
        execFileSync('umount', [mnt]);
        await rm(mnt, { recursive: true, force: true });
      }
    });
  });

  describe('on a small file system (tmpfs)', () => {
    let mnt: string;
    beforeAll(async () => {
      mnt = await mkdtemp(join(tmpdir(), 'airlock-tmpfs-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
    });
    afterAll(async () => {
      execFileSync('umount', [mnt]);
      await rm(mnt, { recursive: true, force: true });
    });

    it('refuses before writing when the bundle cannot fit', async () => {
      await expectCode(writeBundle(options({ outDir: mnt })), 'NO_SPACE');
      expect(await readdir(mnt)).toEqual([]);
    });

    it('fails cleanly when the disk fills up mid-write (ENOSPC), removing the temp file', async () => {
      await rm(join(src, 'sub', 'big.bin'));
      await writeFile(join(src, 'sub', 'big.bin'), Buffer.alloc(1024 * 1024, 1));
      const filler = join(mnt, 'filler');
      const onProgress = (p: Progress): void => {
        if (p.phase === 'hashing-and-writing' && p.bytesDone === 0) writeFileSync(filler, Buffer.alloc(3 * 1024 * 1024));
      };
      await expectCode(writeBundle(options({ outDir: mnt, onProgress })), 'NO_SPACE');
      expect(await readdir(mnt)).toEqual(['filler']);
    });
  });
});
