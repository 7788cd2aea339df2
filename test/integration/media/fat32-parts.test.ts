/**
 * FAT32 (mkfs.vfat on a loop image, mounted through fusefat): a bundle holding a file larger than
 * the part size is cut into parts plus a signed volume index, read back past the cache, verified
 * from its first part, imported byte for byte, and the parts are plain byte ranges of the bundle
 * (`cat` puts it back together). The real 4 GiB FAT limit runs in the bench (--fat32-4g).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopMedia, mediaTestPrerequisites, type LoopMedium } from '../../helpers/loop-media.js';
import { airlock, json, mediaStation } from '../../helpers/media-cli.js';

const missing = mediaTestPrerequisites({ fat: true });
const MiB = 1024 * 1024;
const digest = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

interface ExportJson {
  bundle: {
    bundlePath: string;
    bundleBytes: number;
    media: {
      split: boolean;
      parts: number;
      indexFile: string;
      files: Array<{ path: string; size: number; kind: string }>;
      volumes: Array<{ readBack: { ok: boolean; method: string } }>;
    };
  };
}

describe.skipIf(missing !== null && !process.env['CI'])(`FAT32 media: parts${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let root: string;
  let media: LoopMedia;
  let fat: LoopMedium;
  let home: string;
  let pass: string;
  let src: string;
  let exported: ExportJson['bundle'];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-fat32-'));
    media = new LoopMedia(root);
    fat = await media.fat32('fatstick', 40, 'FATPARTS');
    ({ home, pass } = await mediaStation(root, [fat.mountPoint]));
    src = join(root, 'reports');
    await mkdir(join(src, 'q3'), { recursive: true });
    await writeFile(join(src, 'q3', 'scan.tif'), randomBytes(3 * MiB + 12345));
    await writeFile(join(src, 'summary.txt'), 'three files, one larger than a part\n');
    await writeFile(join(src, 'q3', 'notes.md'), '# notes\n');
    const result = await airlock(home, [
      'export',
      '--to-media',
      'FATPARTS',
      '--name',
      'q3-reports',
      '--part-size',
      '1M',
      '--passphrase-file',
      pass,
      '--json',
      src,
    ]);
    expect(result.code, result.stderr).toBe(0);
    exported = json<ExportJson>(result).bundle;
  });

  afterAll(async () => {
    media?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('media list shows the stick as vfat with its label', async () => {
    const listed = json<{ media: Array<{ id: string; label: string; filesystem: string; device: string; free: number }> }>(
      await airlock(home, ['media', 'list', '--json']),
    );
    expect(listed.media).toEqual([expect.objectContaining({ id: fat.mountPoint, label: 'FATPARTS', filesystem: 'vfat', device: fat.device })]);
    expect(listed.media[0]?.free).toBeGreaterThan(30 * MiB);
  });

  it('cuts the archive into parts no larger than the part size, with a signed index, read back past the cache', async () => {
    const m = exported.media;
    expect(m.split).toBe(true);
    expect(m.parts).toBe(4);
    const parts = m.files.filter((f) => f.kind === 'part');
    expect(parts.map((p) => p.path.slice(fat.mountPoint.length + 1))).toEqual([1, 2, 3, 4].map((i) => `q3-reports.airlock.tar.part-00${i}-of-004`));
    expect(parts.every((p) => p.size <= MiB && p.size % 512 === 0)).toBe(true);
    expect(parts.reduce((n, p) => n + p.size, 0)).toBe(exported.bundleBytes);
    expect(m.files.filter((f) => f.kind !== 'part').map((f) => f.path.slice(fat.mountPoint.length + 1))).toEqual([
      'q3-reports.airlock-index.json',
      'q3-reports.airlock-index.json.asc',
    ]);
    expect(m.volumes[0]?.readBack).toMatchObject({ ok: true, method: 'flushbufs+o-direct' });
    const files = await readdir(fat.mountPoint);
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(files).not.toContain('q3-reports.airlock.tar');
  });

  it('verifies from the first part (or the index), reporting the parts it checked', async () => {
    for (const start of [exported.bundlePath, exported.media.indexFile]) {
      const result = await airlock(home, ['verify', '--json', start]);
      expect(result.code, result.stdout).toBe(0);
      const report = json<{ ok: boolean; bundle: { name: string; files: number }; parts: { count: number; files: Array<{ path: string | null }> } }>(result);
      expect(report).toMatchObject({ ok: true, bundle: { name: 'q3-reports', files: 3 }, parts: { count: 4 } });
      expect(report.parts.files.every((f) => f.path !== null)).toBe(true);
    }
    const human = await airlock(home, ['verify', exported.bundlePath]);
    expect(human.stdout).toMatch(/Split bundle: 4 parts on 1 volume; 4 found and checked against the signed volume index, then reassembled/u);
  });

  it('imports from the parts, byte for byte', async () => {
    const dest = join(root, 'inbox');
    await mkdir(dest);
    const result = await airlock(home, ['import', exported.media.indexFile, '--dest', dest, '--json']);
    expect(result.code, result.stdout).toBe(0);
    for (const rel of ['q3/scan.tif', 'summary.txt', 'q3/notes.md']) {
      expect(await digest(join(dest, 'q3-reports', 'reports', rel))).toBe(await digest(join(src, rel)));
    }
  });

  it('the parts are byte ranges of the bundle: cat reassembles a bundle that verifies and that GNU tar lists', async () => {
    const whole = join(root, 'q3-reports.airlock.tar');
    const parts = (await readdir(fat.mountPoint))
      .filter((f) => f.includes('.part-'))
      .sort()
      .map((f) => join(fat.mountPoint, f));
    execFileSync('sh', ['-c', 'cat "$@" > "$0"', whole, ...parts]);
    expect((await stat(whole)).size).toBe(exported.bundleBytes);
    const index = JSON.parse(await readFile(exported.media.indexFile, 'utf8')) as { bundle: { sha256: string } };
    expect(await digest(whole)).toBe(index.bundle.sha256);
    expect((await airlock(home, ['verify', whole])).code).toBe(0);
    expect(execFileSync('tar', ['tf', whole], { encoding: 'utf8' })).toContain('q3-reports/data/reports/q3/scan.tif');
  });

  it('media verify re-reads the parts past the cache and reassembles the bundle', async () => {
    const result = await airlock(home, ['media', 'verify', 'FATPARTS', '--json']);
    expect(result.code, result.stdout).toBe(0);
    const report = json<{ ok: boolean; items: Array<{ kind: string; reassembled: boolean; ok: boolean }> }>(result);
    expect(report.items).toEqual([expect.objectContaining({ kind: 'split', reassembled: true, ok: true })]);
  });
});
