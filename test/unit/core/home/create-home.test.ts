/**
 * The station home is created one level at a time and fails at the first level that cannot be
 * made: Node's recursive mkdir loops forever under /proc (mkdir of a child says ENOENT, the
 * parent exists, and it goes down again), which left `airlock --home /proc/x` spinning.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureHome } from '../../../../electron/core/home/station-home.js';
import { makeDirs } from '../../../../electron/core/home/create-home.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();

describe('makeDirs', () => {
  it('creates every missing level with the mode, and accepts what exists', async () => {
    const root = await makeTemp('airlock-home-');
    const deep = join(root, 'a', 'b', 'c');
    await makeDirs(deep, 0o700);
    expect((await stat(deep)).isDirectory()).toBe(true);
    expect((await stat(join(root, 'a'))).mode & 0o777).toBe(0o700);
    await expect(makeDirs(deep, 0o700)).resolves.toBeUndefined();
  });

  it('ends with ENOENT under /proc instead of retrying forever', async () => {
    await expect(makeDirs('/proc/airlock-no-such/keys', 0o700)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ends with ENOTDIR when a file is in the way', async () => {
    const root = await makeTemp('airlock-home-');
    await writeFile(join(root, 'file'), 'x');
    await expect(makeDirs(join(root, 'file', 'home'), 0o700)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('ensureHome', () => {
  it.each(['/proc/airlock-home', '/proc/self/airlock-home', '/sys/airlock-home'])('%s: HOME_INVALID naming the refusing file system', async (home) => {
    const error = await ensureHome(home).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/^(HOME_INVALID|PERMISSION_DENIED)$/u), path: home });
    expect((error as Error).message).toMatch(/file system refuses|permission denied/iu);
  });

  it('a file as the home: HOME_INVALID saying it is a file', async () => {
    const file = join(await makeTemp('airlock-home-'), 'home');
    await writeFile(file, 'x');
    await expect(ensureHome(file)).rejects.toMatchObject({ code: 'HOME_INVALID', message: expect.stringContaining('is a file, not a folder') });
  });
});
