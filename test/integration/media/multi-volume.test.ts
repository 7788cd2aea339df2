/**
 * A bundle larger than one medium spans several: parts on each, a signed index copy on each.
 * verify and import start from the first part and find the rest on the other mounted medium;
 * a missing, a stale and an extra part are each caught against the signed index before any
 * reassembly (nothing of the bag is read: no signer, no file counted, nothing imported).
 * On a terminal Airlock asks for the next medium.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopMedia, mediaTestPrerequisites, type LoopMedium } from '../../helpers/loop-media.js';
import { airlock, json, mediaStation, setMediaRoots } from '../../helpers/media-cli.js';

const missing = mediaTestPrerequisites();
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

interface VerifyJson {
  ok: boolean;
  bundle: { name: string | null; files: number; tagmanifestSha256: string | null };
  signers: unknown[];
  problems: Array<{ code: string; path?: string; message: string }>;
}

describe.skipIf(missing !== null && !process.env['CI'])(`a bundle spanning two media${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let root: string;
  let media: LoopMedia;
  let one: LoopMedium;
  let two: LoopMedium;
  let home: string;
  let pass: string;
  let src: string;
  let payload: Buffer;
  let part1: string;
  let part2: string;

  const verify = async (path: string): Promise<{ code: number; report: VerifyJson }> => {
    const result = await airlock(home, ['verify', '--json', path]);
    return { code: result.code, report: json<VerifyJson>(result) };
  };
  /** Rejected with exactly `code`, and nothing of the bag was read: the check came before reassembly. */
  const rejectedBeforeReassembly = async (code: string): Promise<VerifyJson['problems']> => {
    const { code: exit, report } = await verify(part1);
    expect(exit).toBe(1);
    expect(report.problems.map((p) => p.code)).toEqual([code]);
    expect(report.signers).toEqual([]);
    expect(report.bundle).toMatchObject({ name: 'spanned', files: 0, tagmanifestSha256: null });
    return report.problems;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-span-'));
    media = new LoopMedia(root);
    one = await media.ext4('vol1', 16, 'SPAN1');
    two = await media.ext4('vol2', 16, 'SPAN2');
    ({ home, pass } = await mediaStation(root, [one.mountPoint, two.mountPoint]));
    src = join(root, 'archive');
    await mkdir(src);
    payload = randomBytes(18_000_000);
    await writeFile(join(src, 'dump.bin'), payload);
    const result = await airlock(home, ['export', '--to-media', 'SPAN1,SPAN2', '--name', 'spanned', '--passphrase-file', pass, '--json', src]);
    expect(result.code, result.stderr).toBe(0);
    const media2 = json<{ bundle: { media: { volumes: Array<{ files: string[]; readBack: { ok: boolean } }> } } }>(result).bundle.media;
    expect(media2.volumes).toHaveLength(2);
    expect(media2.volumes.every((v) => v.readBack.ok)).toBe(true);
    part1 = join(one.mountPoint, 'spanned.airlock.tar.part-001-of-002');
    part2 = join(two.mountPoint, 'spanned.airlock.tar.part-002-of-002');
  });

  afterAll(async () => {
    media?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('puts a part and a signed index copy on each medium; the last copy is complete', async () => {
    expect((await readdir(one.mountPoint)).filter((f) => f.startsWith('spanned')).sort()).toEqual([
      'spanned.airlock-index.json',
      'spanned.airlock-index.json.asc',
      'spanned.airlock.tar.part-001-of-002',
    ]);
    expect((await readdir(two.mountPoint)).filter((f) => f.startsWith('spanned')).sort()).toEqual([
      'spanned.airlock-index.json',
      'spanned.airlock-index.json.asc',
      'spanned.airlock.tar.part-002-of-002',
    ]);
    const first = JSON.parse(await readFile(join(one.mountPoint, 'spanned.airlock-index.json'), 'utf8')) as {
      volume: number;
      complete: boolean;
      parts: Array<{ sha256: string | null; volume: number }>;
    };
    const last = JSON.parse(await readFile(join(two.mountPoint, 'spanned.airlock-index.json'), 'utf8')) as typeof first & { media: Array<{ label: string }> };
    expect(first).toMatchObject({ volume: 1, complete: false });
    expect(first.parts.map((p) => [p.volume, p.sha256 !== null])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(last).toMatchObject({ volume: 2, complete: true });
    expect(last.media.map((m) => m.label)).toEqual(['SPAN1', 'SPAN2']);
  });

  it('verifies and imports from the first part, finding the second on the other medium', async () => {
    const { code, report } = await verify(part1);
    expect(code, JSON.stringify(report.problems)).toBe(0);
    expect(report.bundle.files).toBe(1);
    const dest = join(root, 'inbox');
    await mkdir(dest);
    const imported = await airlock(home, ['import', part1, '--dest', dest, '--json']);
    expect(imported.code, imported.stdout).toBe(0);
    expect(sha(await readFile(join(dest, 'spanned', 'archive', 'dump.bin')))).toBe(sha(payload));
  });

  it('a missing part (its medium not inserted): PART_MISSING before reassembly; import changes nothing', async () => {
    two.unmount();
    try {
      const [problem] = await rejectedBeforeReassembly('PART_MISSING');
      expect(problem?.message).toMatch(/spanned\.airlock\.tar\.part-002-of-002 \(volume 2 of 2, label SPAN2\) was not found/u);
      const dest = join(root, 'inbox-missing');
      await mkdir(dest);
      const imported = await airlock(home, ['import', part1, '--dest', dest, '--json']);
      expect(imported.code).toBe(1);
      expect(json<VerifyJson>(imported).problems.map((p) => p.code)).toEqual(['PART_MISSING']);
      expect(await readdir(dest)).toEqual([]);
    } finally {
      two.mount();
    }
  });

  it('a stale part (same name and size, other bytes): PART_MISMATCH before reassembly', async () => {
    const original = await readFile(part2);
    const stale = Buffer.from(original);
    stale.fill(0x55, stale.length - 4096, stale.length - 2048);
    await writeFile(part2, stale);
    try {
      const [problem] = await rejectedBeforeReassembly('PART_MISMATCH');
      expect(problem).toMatchObject({ path: part2, message: expect.stringContaining(`has SHA-256 ${sha(stale)}; the signed index says ${sha(original)}`) });
    } finally {
      await writeFile(part2, original);
    }
  });

  it('an extra part (named like one of this bundle, not in the index): PART_EXTRA before reassembly', async () => {
    const extra = join(two.mountPoint, 'spanned.airlock.tar.part-003-of-003');
    await copyFile(part2, extra);
    try {
      const [problem] = await rejectedBeforeReassembly('PART_EXTRA');
      expect(problem?.path).toBe(extra);
    } finally {
      await rm(extra);
    }
    expect((await verify(part1)).code).toBe(0);
  });

  it('a changed index: INDEX_INVALID (its signature no longer matches)', async () => {
    const index = join(two.mountPoint, 'spanned.airlock-index.json');
    const original = await readFile(index);
    const handle = await open(index, 'r+');
    await handle.write(Buffer.from(original.toString('utf8').replace('"volumes": 2', '"volumes": 3')), 0, undefined, 0);
    await handle.close();
    try {
      const { code, report } = await verify(part1);
      expect(code).toBe(1);
      expect(report.problems.map((p) => p.code)).toContain('INDEX_INVALID');
      expect(report.signers).toEqual([]);
    } finally {
      await writeFile(index, original);
    }
  });

  it('on a terminal, asks for the next medium (and refuses the same one again)', async () => {
    const a = await media.ext4('tty1', 16, 'TTYA');
    const b = await media.ext4('tty2', 16, 'TTYB');
    await setMediaRoots(home, [a.mountPoint, b.mountPoint]);
    const small = join(root, 'ten');
    await mkdir(small);
    await writeFile(join(small, 'ten.bin'), randomBytes(10_000_000));
    const asked: string[] = [];
    const result = await airlock(home, ['export', '--to-media', 'TTYA', '--volume-size', '8M', '--name', 'asked', '--passphrase-file', pass, '--json', small], {
      answer: (prompt) => {
        if (!prompt.includes('Insert the medium for volume 2 of 2')) return null;
        asked.push(prompt);
        return asked.length === 1 ? 'TTYA' : b.mountPoint;
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(asked).toHaveLength(2);
    expect(result.stderr).toContain('Volume 1 of 2 is written and read back');
    expect(result.stderr).toMatch(/That medium cannot be used: .*That is volume 1 again/u);
    const done = json<{ bundle: { media: { volumes: Array<{ medium: { label: string } }> } } }>(result);
    expect(done.bundle.media.volumes.map((v) => v.medium.label)).toEqual(['TTYA', 'TTYB']);
    expect((await verify(join(a.mountPoint, 'asked.airlock.tar.part-001-of-002'))).code).toBe(0);
  });
});
