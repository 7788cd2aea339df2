/**
 * The only place the walk writes: a nested zip's bytes go to a private temp folder (0700, files
 * 0600, named by a counter, never by a member's name) that is gone when the walk ends, however it
 * ends: done, a visit that throws, or a cancel.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createArchiveWalker } from '../../../../../electron/core/inspect/archives/walk-archive.js';
import { bufferSource, makeArchive, readAll, WIDE_LIMITS } from '../../../../helpers/archive-maker.js';
import { useTempDirs } from '../../../../helpers/temp-dirs.js';

const makeDir = useTempDirs();

const nested = makeArchive({
  kind: 'tar',
  members: [
    {
      name: '../../escape.zip',
      data: {
        archive: {
          kind: 'zip',
          members: [
            { name: '../../../etc/cron.d/x', data: { text: 'inner' } },
            { name: 'second', data: { text: '2' } },
          ],
        },
      },
    },
  ],
});

describe('the spool folder for nested zips', () => {
  it('is private while the walk runs, holds only counter-named files, and is removed after', async () => {
    const tempDir = await makeDir();
    const walkArchive = createArchiveWalker({ tempDir });
    const during: Array<{ mode: number; files: string[] }> = [];
    const findings = await walkArchive(bufferSource(nested), 'tar', WIDE_LIMITS, async ({ members, stream }) => {
      await readAll(stream);
      const [folder, ...others] = await readdir(tempDir);
      expect(others).toEqual([]);
      const path = join(tempDir, folder as string);
      during.push({ mode: (await stat(path)).mode & 0o777, files: await readdir(path) });
      expect(members[0]).toBe('../../escape.zip');
    });
    expect(findings).toEqual([]);
    expect(during).toEqual([
      { mode: 0o700, files: ['1.zip'] },
      { mode: 0o700, files: ['1.zip'] },
    ]);
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('is removed when visit throws inside the nested zip', async () => {
    const tempDir = await makeDir();
    const walkArchive = createArchiveWalker({ tempDir });
    await expect(walkArchive(bufferSource(nested), 'tar', WIDE_LIMITS, () => Promise.reject(new Error('visit failed')))).rejects.toThrow('visit failed');
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('is removed when the walk is cancelled inside the nested zip', async () => {
    const tempDir = await makeDir();
    const walkArchive = createArchiveWalker({ tempDir });
    const controller = new AbortController();
    await expect(
      walkArchive(
        bufferSource(nested),
        'tar',
        WIDE_LIMITS,
        async ({ stream }) => {
          controller.abort();
          await readAll(stream);
        },
        controller.signal,
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('counts spooled bytes against maxExpandedBytes', async () => {
    const tempDir = await makeDir();
    const big = makeArchive({
      kind: 'tar',
      members: [{ name: 'in.zip', data: { archive: { kind: 'zip', members: [{ name: 'r', compress: 'stored', data: { random: 200_000 } }] } } }],
    });
    const findings = await createArchiveWalker({ tempDir })(bufferSource(big), 'tar', { ...WIDE_LIMITS, maxExpandedBytes: 100_000 }, async ({ stream }) => {
      await readAll(stream);
    });
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_LIMIT', ['in.zip']]]);
    expect(await readdir(tempDir)).toEqual([]);
  });
});
