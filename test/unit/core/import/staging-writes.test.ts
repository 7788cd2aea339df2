/**
 * The staging write path: small files (created synchronously when opened, written when whole)
 * and large ones (asynchronous, early writeback) land byte for byte, with mode 0644, never over
 * an existing name; durability remembers nothing per file where syncfs is used.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { durabilityMethodFor, StagedDurability } from '../../../../electron/core/import/staged-durability.js';
import { SMALL_FILE_BYTES, SmallFileStager } from '../../../../electron/core/import/small-file.js';
import { chooseSmallFileMode, StagingDirectory } from '../../../../electron/core/import/staging.js';
import { foldsNames } from '../../../../electron/core/fs/name-folding.js';
import { TempDirs } from '../../../helpers/temp-dirs.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

async function stage(staging: StagingDirectory, path: string, body: Buffer, verified = true): Promise<void> {
  const writer = await staging.openFile(path, body.length);
  for (let at = 0; at < body.length; at += 64 * 1024) await writer.write(body.subarray(at, at + 64 * 1024));
  await writer.close(verified);
}

function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('StagingDirectory writes', () => {
  it('stages empty, small, exactly-small and large files byte for byte with mode 0644, in nested folders', async () => {
    const dest = await dirs.make('airlock-stage-');
    const staging = await StagingDirectory.create(dest, 'bundle.tar');
    const files: Array<[string, Buffer]> = [
      ['empty.txt', Buffer.alloc(0)],
      ['a/b/small.bin', bytes(1000, 1)],
      ['a/b/edge.bin', bytes(SMALL_FILE_BYTES, 2)],
      ['a/c/large.bin', bytes(SMALL_FILE_BYTES + 1, 3)],
      ['x/y/z/deep.txt', bytes(5, 4)],
      ['a/b/again.bin', bytes(70_000, 5)],
    ];
    for (const [path, body] of files) await stage(staging, path, body);
    await staging.makeDurable();
    for (const [path, body] of files) {
      const full = join(staging.payloadDir, path);
      expect((await readFile(full)).equals(body), path).toBe(true);
      expect((await stat(full)).mode & 0o777).toBe(0o644);
    }
    await staging.discard();
  });

  it('refuses a second file by one name with EEXIST when it is opened, small or large, and keeps the first (small files created at open)', async () => {
    const dest = await dirs.make('airlock-stage-');
    const staging = await StagingDirectory.create(dest, 'bundle.tar', { smallFiles: 'at-open' });
    await stage(staging, 'd/one.txt', Buffer.from('first'));
    await expect(staging.openFile('d/one.txt', 3)).rejects.toMatchObject({ code: 'EEXIST' });
    await stage(staging, 'd/big.bin', bytes(SMALL_FILE_BYTES + 10, 7));
    await expect(staging.openFile('d/big.bin', SMALL_FILE_BYTES + 10)).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(staging.openFile('d/big.bin', 0)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(staging.payloadDir, 'd/one.txt'), 'utf8')).toBe('first');
    await staging.discard();
  });

  it.each(['at-open', 'queued'] as const)('writes none of the bytes of a small file that failed its checksum (%s)', async (smallFiles) => {
    const dest = await dirs.make('airlock-stage-');
    const staging = await StagingDirectory.create(dest, 'bundle.tar', { smallFiles });
    await stage(staging, 'bad.txt', Buffer.from('not what was signed'), false);
    await staging.makeDurable();
    expect((await stat(join(staging.payloadDir, 'bad.txt'))).size).toBe(0);
    await staging.discard();
  });

  it('queued small files: a second file by one name fails the flush with EEXIST naming it, and the first is kept', async () => {
    const dest = await dirs.make('airlock-stage-');
    const staging = await StagingDirectory.create(dest, 'bundle.tar', { smallFiles: 'queued' });
    await stage(staging, 'd/one.txt', Buffer.from('first'));
    await stage(staging, 'd/one.txt', Buffer.from('two'));
    await expect(staging.makeDurable()).rejects.toMatchObject({ code: 'EEXIST', path: join(staging.payloadDir, 'd/one.txt') });
    expect(await readFile(join(staging.payloadDir, 'd/one.txt'), 'utf8')).toBe('first');
    await staging.discard();
  });

  it('refuses a path that would land outside staging', async () => {
    const dest = await dirs.make('airlock-stage-');
    const staging = await StagingDirectory.create(dest, 'bundle.tar');
    await expect(staging.openFile('../escape.txt', 1)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await readdir(dest)).toHaveLength(1);
    await staging.discard();
  });
});

describe('how small files are created', () => {
  it('queues them only where nothing is remembered per file and names are compared byte for byte', () => {
    expect(chooseSmallFileMode('syncfs', false)).toBe('queued');
    expect(chooseSmallFileMode('none', false)).toBe('queued');
    expect(chooseSmallFileMode('syncfs', true)).toBe('at-open');
    expect(chooseSmallFileMode('none', true)).toBe('at-open');
    expect(chooseSmallFileMode('fsync-each', false)).toBe('at-open');
  });

  it('the folding probe finds a case-sensitive folder byte-for-byte and leaves nothing behind', async () => {
    const root = await dirs.make('airlock-fold-');
    // Linux temp folders are case-sensitive and keep names as given (ext4, tmpfs, xfs, btrfs).
    if (process.platform === 'linux') expect(foldsNames(root)).toBe(false);
    else foldsNames(root);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('SmallFileStager', () => {
  it('reports every folder it made, deepest included, and none that existed', async () => {
    const root = await dirs.make('airlock-small-');
    await mkdir(join(root, 'existing'));
    const made: string[] = [];
    const stager = new SmallFileStager(root, (dir) => made.push(dir));
    stager.create(join(root, 'existing', 'a', 'b', 'f1')).finish([Buffer.from('1')]);
    stager.create(join(root, 'existing', 'a', 'b', 'f2')).finish([]);
    stager.create(join(root, 'top.txt')).finish([Buffer.from('t'), Buffer.from('op')]);
    expect(made.sort()).toEqual([join(root, 'existing', 'a'), join(root, 'existing', 'a', 'b')]);
    expect(await readFile(join(root, 'top.txt'), 'utf8')).toBe('top');
    expect(await readFile(join(root, 'existing', 'a', 'b', 'f1'), 'utf8')).toBe('1');
  });

  it('never writes through an existing file', async () => {
    const root = await dirs.make('airlock-small-');
    await writeFile(join(root, 'taken'), 'keep');
    const stager = new SmallFileStager(root);
    expect(() => stager.create(join(root, 'taken'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(await readFile(join(root, 'taken'), 'utf8')).toBe('keep');
  });
});

describe('StagedDurability', () => {
  it('uses syncfs on a local Linux file system and an fsync per file elsewhere', async () => {
    const root = await dirs.make('airlock-durable-');
    expect(await durabilityMethodFor(root, 'win32')).toBe('fsync-each');
    expect(await durabilityMethodFor(root, 'darwin')).toBe('fsync-each');
    if (process.platform === 'linux') expect(['syncfs', 'fsync-each']).toContain(await durabilityMethodFor(root, 'linux'));
  });

  it('flushes with either method; fsync-each fails on a file that vanished (it is never skipped)', async () => {
    const root = await dirs.make('airlock-durable-');
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, 'sub', 'f'), 'x');
    for (const method of ['syncfs', 'fsync-each'] as const) {
      if (method === 'syncfs' && process.platform !== 'linux') continue;
      const durability = new StagedDurability(method);
      durability.directoryCreated(join(root, 'sub'));
      durability.fileCreated(join(root, 'sub', 'f'));
      await durability.flush(root);
    }
    const strict = new StagedDurability('fsync-each');
    strict.fileCreated(join(root, 'gone'));
    await expect(strict.flush(root)).rejects.toMatchObject({ code: 'ENOENT' });
    // syncfs remembers nothing per file: a million staged files cost it no memory.
    const light = new StagedDurability('syncfs');
    light.fileCreated(join(root, 'gone'));
    if (process.platform === 'linux') await light.flush(root);
  });

  it('with syncfs, starts one flush in the background per threshold staged, one at a time; other methods never do', async () => {
    const root = await dirs.make('airlock-durable-');
    // Three 100-byte files reach the threshold (each counts its bytes and 4 KiB for its inode and entry).
    const every = 3 * (100 + 4096);
    for (const method of ['fsync-each', 'none'] as const) {
      const other = new StagedDurability(method, every);
      for (let i = 0; i < 10; i += 1) other.staged(root, 100);
      expect(other.earlyFlushes).toBe(0);
    }
    if (process.platform !== 'linux') return;
    const durability = new StagedDurability('syncfs', every);
    durability.staged(root, 100);
    durability.staged(root, 100);
    expect(durability.earlyFlushes).toBe(0);
    durability.staged(root, 100);
    expect(durability.earlyFlushes).toBe(1);
    // Another threshold staged while the first is in flight starts none.
    for (let i = 0; i < 3; i += 1) durability.staged(root, 100);
    expect(durability.earlyFlushes).toBe(1);
    await durability.flush(root);
    for (let i = 0; i < 3; i += 1) durability.staged(root, 100);
    expect(durability.earlyFlushes).toBe(2);
    await durability.flush(root);
  });

  it('a background syncfs that failed fails the flush, though the final one succeeds (a later syncfs need not report it)', async () => {
    if (process.platform !== 'linux') return;
    const root = await dirs.make('airlock-durable-');
    const durability = new StagedDurability('syncfs', 1);
    // The flush's own syncfs of `root` succeeds; the background one (here: of a folder that is not there) did not.
    durability.staged(join(root, 'missing'), 10);
    expect(durability.earlyFlushes).toBe(1);
    await expect(durability.flush(root)).rejects.toMatchObject({ code: 'IO_ERROR' });
    await new StagedDurability('syncfs', 1).flush(root);
  });
});

describe('staging without durability (a push-only import spool)', () => {
  it("'none' flushes nothing, not even the root: it never touches the disk", async () => {
    const root = await dirs.make('airlock-durable-');
    const none = new StagedDurability('none');
    none.fileCreated(join(root, 'gone'));
    none.directoryCreated(join(root, 'gone-dir'));
    expect(none.flushes).toBe(false);
    // A root that does not exist: any fsync would fail with ENOENT.
    await none.flush(join(root, 'no-such-folder'));
    await expect(new StagedDurability('fsync-each').flush(join(root, 'no-such-folder'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stages byte for byte without flushing when made with durable: false, and flushes by default', async () => {
    const dest = await dirs.make('airlock-stage-');
    const light = await StagingDirectory.create(dest, 'bundle.tar', { durable: false });
    const durable = await StagingDirectory.create(dest, 'bundle.tar');
    expect(await light.durabilityMethod()).toBe('none');
    expect(await durable.durabilityMethod()).not.toBe('none');
    const large = bytes(SMALL_FILE_BYTES * 3 + 7, 9);
    await stage(light, 'oci/blobs/sha256/large', large);
    await stage(light, 'oci/index.json', Buffer.from('{}'));
    await light.makeDurable();
    expect((await readFile(join(light.payloadDir, 'oci/blobs/sha256/large'))).equals(large)).toBe(true);
    expect(await readFile(join(light.payloadDir, 'oci/index.json'), 'utf8')).toBe('{}');
    await light.discard();
    await durable.discard();
  });
});
