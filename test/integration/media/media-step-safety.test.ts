/**
 * The media step "like Etcher, but safer" (issue #19.4) on loop devices: the medium holding the
 * sources is refused by name before a byte is written, also when the sources are inside an image
 * whose backing file is on that medium; the flush is a phase of its own between writing and
 * reading back; and a read-back that finds other bytes names the file, where it first differs,
 * and the expected and found SHA-256.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from '../../../electron/core/media/read-back/chunk-sums.js';
import { LoopMedia, mediaTestPrerequisites } from '../../helpers/loop-media.js';
import { airlock, json, mediaStation, setMediaRoots } from '../../helpers/media-cli.js';

const missing = mediaTestPrerequisites();
/** How the CLI starts each progress line: carriage return, then ESC [2K (erase the line). */
const PROGRESS_PREFIX = `\r${String.fromCharCode(27)}[2K`;

interface ErrorJson {
  error: { code: string; message: string; path?: string; data?: Record<string, unknown> };
}

describe.skipIf(missing !== null && !process.env['CI'])(`the media step's safety${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let root: string;
  let media: LoopMedia;
  /** Loops whose images live on another loop medium: detached first. */
  let inner: LoopMedia | null = null;
  let home: string;
  let pass: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-media-step-'));
    media = new LoopMedia(root);
    ({ home, pass } = await mediaStation(root, []));
  });

  afterAll(async () => {
    inner?.cleanup();
    media?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('refuses the medium the sources are on (MEDIA_HOLDS_SOURCES, exit 3) and writes nothing to it', async () => {
    const stick = await media.ext4('holds-src', 16, 'HOLDSRC');
    const src = join(stick.mountPoint, 'outgoing');
    await mkdir(src);
    await writeFile(join(src, 'report.txt'), 'on the stick itself\n');
    await setMediaRoots(home, [stick.mountPoint]);
    const before = (await readdir(stick.mountPoint)).sort();
    const result = await airlock(home, ['export', '--to-media', 'HOLDSRC', '--name', 'onto-itself', '--passphrase-file', pass, '--json', src]);
    expect(result.code, result.stderr).toBe(3);
    const { error } = json<ErrorJson>(result);
    expect(error.code).toBe('MEDIA_HOLDS_SOURCES');
    expect(error.message).toContain(`${src}, selected for this export`);
    expect(result.stderr).toContain('Next:');
    expect((await readdir(stick.mountPoint)).sort()).toEqual(before);
    // The same stick with the sources elsewhere is offered and written.
    const elsewhere = join(root, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(join(elsewhere, 'report.txt'), 'from the system disk\n');
    const ok = await airlock(home, ['export', '--to-media', 'HOLDSRC', '--name', 'from-elsewhere', '--passphrase-file', pass, elsewhere]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('follows the sources through a loop device to the stick holding its backing file', async () => {
    const outer = await media.ext4('image-carrier', 24, 'CARRIER');
    inner = new LoopMedia(outer.mountPoint);
    const image = await inner.ext4('mounted-image', 8, 'INNER');
    const src = join(image.mountPoint, 'plans');
    await mkdir(src);
    await writeFile(join(src, 'site.txt'), 'inside an image on the stick\n');
    await setMediaRoots(home, [outer.mountPoint]);
    const result = await airlock(home, ['export', '--to-media', outer.mountPoint, '--passphrase-file', pass, '--json', src]);
    expect(result.code, result.stderr).toBe(3);
    const { error } = json<ErrorJson>(result);
    expect(error.code).toBe('MEDIA_HOLDS_SOURCES');
    expect(error.data).toMatchObject({ disk: outer.device, via: expect.stringContaining(image.device) });
    expect((await readdir(outer.mountPoint)).filter((f) => f.includes('.airlock'))).toEqual([]);
    const list = await airlock(home, ['media', 'list', '--json']);
    expect(list.code).toBe(0);
  });

  it('a read-back that finds other bytes names the file, the region holding the difference, and the SHA-256 found', async () => {
    const stick = await media.ext4('flipped', 24, 'FLIPPED');
    await setMediaRoots(home, [stick.mountPoint]);
    const marker = Buffer.from(`AIRLOCK-FLIP-${randomBytes(12).toString('hex')}`);
    const src = join(root, 'flip-src');
    await mkdir(src);
    // The marker lands past the first MiB of the bundle, so the chunk named is not simply the first.
    await writeFile(join(src, 'data.bin'), Buffer.concat([randomBytes(2 * CHUNK_BYTES + 12_345), marker, randomBytes(300_000)]));
    const bundle = join(stick.mountPoint, 'flipped.airlock.tar');
    let written: Buffer | null = null;
    const phases: string[] = [];
    const result = await airlock(home, ['export', '--to-media', 'FLIPPED', '--name', 'flipped', '--passphrase-file', pass, '--json', src], {
      stderrIsTTY: true,
      onStderr: (text) => {
        const line = text.startsWith(PROGRESS_PREFIX) ? text.slice(PROGRESS_PREFIX.length) : '';
        const phase = /^([A-Z][a-z]+(?: [a-z]+)*)/u.exec(line)?.[1];
        if (phase && phases.at(-1) !== phase) phases.push(phase);
        // Between the write (flushed) and the read-back: what was written, then one byte changed under the cache.
        if (written === null && text.includes('Reading back')) {
          written = readFileSync(bundle);
          const imageBytes = readFileSync(stick.image);
          const at = imageBytes.indexOf(marker);
          execFileSync('dd', [`of=${stick.image}`, `seek=${at + 20}`, 'bs=1', 'count=1', 'conv=notrunc,fsync', 'status=none'], { input: Buffer.from('!') });
        }
      },
    });
    expect(written).not.toBeNull();
    const good = written as unknown as Buffer;
    const flippedAt = good.indexOf(marker) + 20;
    const bad = Buffer.from(good);
    bad[flippedAt] = '!'.charCodeAt(0);
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    expect(result.code).toBe(3);
    const { error } = json<ErrorJson>(result);
    // Written in one pass on ext4 (no SHA-256 of the whole file before the read-back): the finding is the
    // region that differs, here the payload file against its SHA-256 in the signed manifest.
    expect(error).toMatchObject({
      code: 'MEDIA_READBACK_FAILED',
      path: bundle,
      data: { file: bundle, expectedSha256: null, foundSha256: sha(bad), expectedSize: good.length, foundSize: good.length },
    });
    const { offset, length, differsIn } = error.data as unknown as { offset: number; length: number; differsIn: string };
    expect(differsIn).toMatch(/^data\/flip-src\/data\.bin \(against its SHA-256 in the signed manifest\)$/u);
    expect(offset).toBeLessThanOrEqual(flippedAt);
    expect(offset + length).toBeGreaterThan(flippedAt);
    expect(offset).toBeGreaterThan(0);
    for (const text of [error.message, result.stderr]) {
      expect(text).toContain(bundle);
      expect(text).toContain(`differs within bytes ${offset}-${offset + length - 1} (${differsIn})`);
      expect(text).toContain(`found SHA-256 ${sha(bad)}`);
    }
    // Write (one pass: hashing and writing), flush and read back, each its own phase, in that order.
    expect(phases).toEqual(expect.arrayContaining(['Hashing and writing', 'Syncing to disk', 'Reading back']));
    expect(phases.indexOf('Hashing and writing')).toBeLessThan(phases.lastIndexOf('Syncing to disk'));
    expect(phases.lastIndexOf('Syncing to disk')).toBeLessThan(phases.indexOf('Reading back'));
    // The audit log keeps the same facts.
    const events = json<{ events: Array<{ details: { problems: Array<{ message: string }> } }> }>(
      await airlock(home, ['audit', 'list', '--json', '--type', 'media-readback', '--limit', '1']),
    ).events;
    expect(events[0]?.details.problems[0]?.message).toContain(`(bytes ${offset}-${offset + length - 1}) is not what was written and signed`);
    // The media-write event has no row claiming a SHA-256 for a file no read-back proved: it says why, and what was found where.
    const log = json<{ events: Array<{ type: string; bundleName: string | null; files: number; details: Record<string, unknown>; fileRows: unknown[] }> }>(
      await airlock(home, ['audit', 'export', '--format', 'json']),
    );
    const write = log.events.filter((e) => e.type === 'media-write' && e.bundleName === 'flipped').at(-1);
    expect(write).toMatchObject({ files: 1, fileRows: [] });
    expect(write?.details['fileRows']).toMatch(/^not recorded for .*flipped\.airlock\.tar: written in one pass by position/u);
    expect(write?.details['unproven']).toEqual([
      { path: bundle, size: good.length, readBack: 'differs', differsIn, offset, length, foundSha256: sha(bad), foundSize: good.length },
    ]);
  });
});
