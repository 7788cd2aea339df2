import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTree } from '../../../../electron/core/fs/remove-tree.js';
import { TempDirs } from '../../../helpers/temp-dirs.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

describe('removeTree', () => {
  it('removes a deep tree with many files, empty folders and links, and nothing beside it', async () => {
    const root = await dirs.make('airlock-rmtree-');
    const tree = join(root, 'tree');
    const outside = join(root, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'keep.txt'), 'keep');
    for (let d = 0; d < 5; d += 1) {
      const dir = join(tree, `d${d}`, 'deeper', 'still');
      await mkdir(dir, { recursive: true });
      for (let f = 0; f < 700; f += 1) await writeFile(join(dir, `f${f}`), f % 2 === 0 ? '' : 'x');
    }
    await mkdir(join(tree, 'empty', 'nested'), { recursive: true });
    // A link to a folder outside is removed as a link: what it points to stays.
    await symlink(outside, join(tree, 'link-out'));
    await removeTree(tree);
    expect(existsSync(tree)).toBe(false);
    expect(await readdir(root)).toEqual(['outside']);
    expect(await readdir(outside)).toEqual(['keep.txt']);
  });

  it('is fine with a path that is gone, and removes a plain file', async () => {
    const root = await dirs.make('airlock-rmtree-');
    await removeTree(join(root, 'never-was'));
    await writeFile(join(root, 'file'), 'x');
    await removeTree(join(root, 'file'));
    expect(await readdir(root)).toEqual([]);
  });
});
