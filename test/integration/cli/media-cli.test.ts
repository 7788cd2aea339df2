/**
 * `airlock media ...` and `export --to-media` against folders declared as media (config.json
 * mediaRoots): what runs without root or loop devices. The loop-device suites are in
 * test/integration/media.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airlock, json, mediaStation, setMediaRoots } from '../../helpers/media-cli.js';

let root: string;
let home: string;
let pass: string;
let outbox: string;
let src: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-media-cli-'));
  outbox = join(root, 'diode-out');
  await mkdir(outbox);
  ({ home, pass } = await mediaStation(root, [outbox, join(root, 'not-there-yet')]));
  src = join(root, 'src');
  await mkdir(src);
  await writeFile(join(src, 'a.bin'), randomBytes(700_000));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('media list', () => {
  it('lists an existing declared root, not a missing one', async () => {
    const result = await airlock(home, ['media', 'list', '--json']);
    expect(result.code).toBe(0);
    const listed = json<{ ok: boolean; media: Array<{ id: string; source: string; mountPoint: string }> }>(result).media.filter((m) => m.source === 'config');
    expect(listed).toEqual([expect.objectContaining({ id: outbox, mountPoint: outbox, source: 'config' })]);
    const human = await airlock(home, ['media', 'list']);
    expect(human.stdout).toMatch(/^DEVICE\s+LABEL\s+FS\s+SIZE\s+FREE\s+MOUNTED AT/mu);
    expect(human.stdout).toContain('declared in config.json');
  });

  it('refuses a relative media root in config.json', async () => {
    const other = join(root, 'home-bad');
    await mkdir(other);
    await writeFile(join(other, 'config.json'), JSON.stringify({ mediaRoots: ['relative/dir'] }));
    const result = await airlock(other, ['media', 'list']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/CONFIG_INVALID: .*mediaRoots\.0: must be an absolute path/u);
  });
});

describe('export --to-media onto a declared folder', () => {
  it('writes, reads back and verifies; split with --part-size', async () => {
    const result = await airlock(home, [
      'export',
      '--to-media',
      outbox,
      '--name',
      'split-here',
      '--part-size',
      '256K',
      '--passphrase-file',
      pass,
      '--json',
      src,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const bundle = json<{ bundle: { media: { parts: number; readBackOk: boolean; volumes: Array<{ readBack: { method: string } }> } } }>(result).bundle;
    expect(bundle.media).toMatchObject({ parts: 3, readBackOk: true });
    expect(['o-direct', 'fadvise-dontneed', 'flushbufs+o-direct']).toContain(bundle.media.volumes[0]?.readBack.method);
    const verified = await airlock(home, ['media', 'verify', outbox, '--json']);
    expect(verified.code, verified.stdout).toBe(0);
  });

  it('refuses --to-media with --out, and media options without --to-media (usage, exit 2)', async () => {
    const both = await airlock(home, ['export', '--to-media', outbox, '--out', root, '--passphrase-file', pass, src]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--to-media writes the bundle to media instead of a folder');
    const stray = await airlock(home, ['export', '--out', root, '--part-size', '1M', '--passphrase-file', pass, src]);
    expect(stray.code).toBe(2);
    const size = await airlock(home, ['export', '--to-media', outbox, '--volume-size', 'lots', '--passphrase-file', pass, src]);
    expect(size.code).toBe(2);
    expect(size.stderr).toContain('--volume-size: "lots" is not a size');
    const none = await airlock(home, ['export', '--passphrase-file', pass, src]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--out DIR or --to-media ID is required');
  });
});

describe('split bundles handed to verify, and media verify of what is not whole', () => {
  it('a part without its index: INDEX_INVALID (verify), and media verify of the folder says so', async () => {
    const lone = join(root, 'lone');
    await mkdir(lone);
    const parts = (await readdir(outbox)).filter((f) => f.startsWith('split-here.airlock.tar.part-'));
    for (const part of parts) await copyFile(join(outbox, part), join(lone, part));
    await setMediaRoots(home, [lone]);
    try {
      const result = await airlock(home, ['verify', '--json', join(lone, parts[0] as string)]);
      expect(result.code).toBe(1);
      expect(json<{ problems: Array<{ code: string }> }>(result).problems.map((p) => p.code)).toEqual(['INDEX_INVALID']);
      const medium = await airlock(home, ['media', 'verify', lone, '--json']);
      expect(medium.code).toBe(1);
      expect(json<{ problems: Array<{ code: string }> }>(medium).problems.map((p) => p.code)).toEqual(parts.map(() => 'INDEX_INVALID'));
    } finally {
      await setMediaRoots(home, [outbox]);
    }
  });

  it('an empty medium has nothing to verify (exit 1); a folder is not something to eject (exit 3)', async () => {
    const empty = join(root, 'empty');
    await mkdir(empty);
    const result = await airlock(home, ['media', 'verify', empty]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('NOTHING TO VERIFY');
    const eject = await airlock(home, ['media', 'eject', outbox]);
    expect(eject.code).toBe(3);
    expect(eject.stderr).toMatch(/MEDIA_EJECT_FAILED: .*not a mounted medium/u);
  });

  it('the receipt of a media export stays in the station home, naming the medium', async () => {
    const receipts = await readdir(join(home, 'receipts'));
    expect(receipts).toContain('split-here.export-receipt.json');
    const receipt = JSON.parse(await readFile(join(home, 'receipts', 'split-here.export-receipt.json'), 'utf8')) as {
      media: { volumes: Array<{ files: string[] }> };
    };
    expect(receipt.media.volumes[0]?.files.length).toBe(5);
    expect((await readdir(outbox)).some((f) => f.includes('receipt'))).toBe(false);
  });
});
