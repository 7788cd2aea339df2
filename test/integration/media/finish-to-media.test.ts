/**
 * `export --finish STAGED --to-media ID[,ID...]`: a staged two-person export written onto
 * removable media the way `export --to-media` writes a new one (core's media-target.ts): parts
 * and a signed index over two media, each read back, the media-write / media-readback / export
 * events, and the staged signatures unchanged, so a station requiring two signers accepts it.
 * An edited staged export writes nothing to the medium and stays staged.
 */
import { appendFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopMedia, mediaTestPrerequisites, type LoopMedium } from '../../helpers/loop-media.js';
import { airlock, json, mediaStation } from '../../helpers/media-cli.js';

const missing = mediaTestPrerequisites();

interface Staged {
  staged: { stagedDir: string };
}
interface Finished {
  bundle: {
    name: string;
    signers: Array<{ fingerprint: string }>;
    media: { split: boolean; parts: number; volumes: Array<{ medium: { label: string }; readBack: { ok: boolean; bypassesCache: boolean } }> };
  };
}

describe.skipIf(missing !== null && !process.env['CI'])(`export --finish --to-media${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let root: string;
  let media: LoopMedia;
  let one: LoopMedium;
  let two: LoopMedium;
  let home: string;
  let pass: string;
  let reviewerKey: string;
  let src: string;

  const prepareAndApprove = async (name: string): Promise<string> => {
    const prepared = await airlock(home, ['export', '--prepare', '--name', name, '--passphrase-file', pass, '--json', src]);
    expect(prepared.code, prepared.stderr).toBe(0);
    const { stagedDir } = json<Staged>(prepared).staged;
    const approved = await airlock(home, ['--operator', 'R. Reviewer', 'approve', stagedDir, '--key', reviewerKey, '--passphrase-file', pass, '--yes']);
    expect(approved.code, approved.stderr).toBe(0);
    return stagedDir;
  };
  const lastEvent = async (type: string): Promise<{ outcome: string; bundleName: string | null; details: Record<string, unknown> }> => {
    const listed = json<{ events: Array<{ outcome: string; bundleName: string | null; details: Record<string, unknown> }> }>(
      await airlock(home, ['audit', 'list', '--json', '--type', type, '--limit', '1']),
    );
    return listed.events[0] as { outcome: string; bundleName: string | null; details: Record<string, unknown> };
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-finish-media-'));
    media = new LoopMedia(root);
    one = await media.ext4('fin1', 16, 'FIN1');
    two = await media.ext4('fin2', 16, 'FIN2');
    ({ home, pass } = await mediaStation(root, [one.mountPoint, two.mountPoint]));
    // The approver's key: another station's key, trusted here (the receiving side's policy counts both).
    const reviewerHome = join(root, 'reviewer');
    expect((await airlock(reviewerHome, ['keys', 'generate', '--name', 'R. Reviewer', '--passphrase-file', pass])).code).toBe(0);
    reviewerKey = join(reviewerHome, 'keys', 'station-key.private.asc');
    const publicKey = join(root, 'reviewer.asc');
    await writeFile(publicKey, (await airlock(reviewerHome, ['keys', 'export-public'])).stdout);
    const [reviewerKeyListed] = json<{ trusted: Array<{ fingerprint: string }> }>(await airlock(reviewerHome, ['keys', 'list', '--json'])).trusted;
    const trusted = await airlock(home, ['keys', 'trust', publicKey, '--fingerprint', reviewerKeyListed?.fingerprint ?? '', '--label', 'reviewer']);
    expect(trusted.code, trusted.stderr).toBe(0);
    src = join(root, 'release');
    await mkdir(src);
    await writeFile(join(src, 'dump.bin'), randomBytes(1_200_000));
  }, 60_000);

  afterAll(async () => {
    media?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('writes the approved bundle over two media with a signed index, reads each back, and a 2-signer station accepts it', async () => {
    const stagedDir = await prepareAndApprove('fin-span');
    const finished = await airlock(home, [
      'export',
      '--finish',
      stagedDir,
      '--to-media',
      'FIN1,FIN2',
      '--volume-size',
      '2M',
      '--passphrase-file',
      pass,
      '--json',
    ]);
    expect(finished.code, finished.stderr).toBe(0);
    const { bundle } = json<Finished>(finished);
    expect(bundle.signers).toHaveLength(2);
    expect(bundle.media).toMatchObject({ split: true, parts: 2 });
    expect(bundle.media.volumes.map((v) => [v.medium.label, v.readBack.ok, v.readBack.bypassesCache])).toEqual([
      ['FIN1', true, true],
      ['FIN2', true, true],
    ]);
    expect((await readdir(one.mountPoint)).filter((f) => f.startsWith('fin-span')).sort()).toEqual([
      'fin-span.airlock-index.json',
      'fin-span.airlock-index.json.asc',
      'fin-span.airlock.tar.part-001-of-002',
    ]);
    // Done: the staged folder is gone, and the log has the media events before the export.
    await expect(stat(stagedDir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await lastEvent('media-write')).toMatchObject({ outcome: 'ok' });
    expect(await lastEvent('media-readback')).toMatchObject({ outcome: 'ok' });
    expect(await lastEvent('export')).toMatchObject({ outcome: 'ok', bundleName: 'fin-span' });

    await writeFile(join(home, 'policy.json'), JSON.stringify({ requiredSigners: { count: 2 } }));
    try {
      const verified = await airlock(home, ['verify', '--json', join(one.mountPoint, 'fin-span.airlock.tar.part-001-of-002')]);
      expect(verified.code, verified.stdout).toBe(0);
      expect(json<{ signers: unknown[] }>(verified).signers).toHaveLength(2);
    } finally {
      await rm(join(home, 'policy.json'));
    }
  });

  it('an edited staged export: STAGED_INVALID, nothing on the medium, still staged', async () => {
    const stagedDir = await prepareAndApprove('fin-edited');
    await appendFile(join(stagedDir, 'manifest-sha256.txt'), 'x');
    const before = await readdir(one.mountPoint);
    const finished = await airlock(home, ['export', '--finish', stagedDir, '--to-media', 'FIN1', '--passphrase-file', pass, '--json']);
    expect(finished.code).toBe(3);
    expect(json<{ error: { code: string } }>(finished).error.code).toBe('STAGED_INVALID');
    expect(await readdir(one.mountPoint)).toEqual(before);
    expect((await stat(join(stagedDir, 'staged.json'))).isFile()).toBe(true);
  });

  it('--to-media goes with --finish, not with --out', async () => {
    const result = await airlock(home, ['export', '--finish', 'x', '--to-media', 'FIN1', '--out', root, '--passphrase-file', pass]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--to-media writes the bundle to media instead of a folder');
  });
});
