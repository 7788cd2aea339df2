/**
 * Very large drives get a warning before writing (issue #19.4): discovery marks a medium larger
 * than config.json `largeMediumBytes` (default 512 GiB) as `large`, and the CLI says so on stderr
 * before the first byte is written. A declared folder on this machine's disk stands in for the
 * drive, with a threshold below its size.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyMedia } from '../../../electron/core/media/discover/discover.js';
import { LARGE_MEDIUM_BYTES } from '../../../shared/media.js';
import { airlock, mediaStation } from '../../helpers/media-cli.js';

let root: string;
let medium: string;
let src: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-large-drive-'));
  medium = join(root, 'big-drive');
  src = join(root, 'src');
  await mkdir(medium);
  await mkdir(src);
  await writeFile(join(src, 'a.txt'), 'a large drive is warned about\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('large drives', () => {
  it('are marked by discovery above the threshold, and not below it', async () => {
    const size = (await surveyMedia({ mediaRoots: [medium] })).offered[0]?.size ?? 0;
    expect(size).toBeGreaterThan(0);
    const below = await surveyMedia({ mediaRoots: [medium], largeMediumBytes: size - 1 });
    expect(below.offered[0]?.large).toBe(true);
    const above = await surveyMedia({ mediaRoots: [medium], largeMediumBytes: size });
    expect(above.offered[0]?.large).toBeUndefined();
    expect(LARGE_MEDIUM_BYTES).toBe(512 * 1024 ** 3);
  });

  it('get a warning line on stderr before writing, naming the drive and its size', async () => {
    const { home, pass } = await mediaStation(root, [medium]);
    await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'large', mediaRoots: [medium], largeMediumBytes: 1024 }));
    let warnedBeforeWriting: boolean | null = null;
    const result = await airlock(home, ['export', '--to-media', medium, '--name', 'on-large', '--passphrase-file', pass, src], {
      stderrIsTTY: true,
      onStderr: (text) => {
        if (warnedBeforeWriting === null && text.includes('Writing')) warnedBeforeWriting = false;
        if (warnedBeforeWriting === null && text.includes('is a large drive')) warnedBeforeWriting = true;
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(warnedBeforeWriting).toBe(true);
    expect(result.stderr).toMatch(new RegExp(`warning: .*${medium.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')} is a large drive \\(\\d`, 'u'));
    // Without the threshold lowered the same folder is not warned about.
    await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'large', mediaRoots: [medium] }));
    const quiet = await airlock(home, ['export', '--to-media', medium, '--name', 'not-large', '--passphrase-file', pass, src]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('large drive');
  });
});
