/**
 * `airlock watch` refuses what it cannot run on before it makes or moves anything: an inbox that
 * is missing or not a folder, an inbox overlapping the destination or the station home (a
 * destination that would lie inside the inbox is never created), bad option values; `--status`
 * of an inbox never watched is NOT_FOUND.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../helpers/cli-runner.js';
import { stationAt } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

describe('airlock watch usage', () => {
  it('refuses a bad inbox, overlapping folders and bad values, creating nothing', async () => {
    const root = await tempDir('airlock-watch-usage-');
    const station = stationAt(join(root, 'home'), join(root, 'pass'));
    const inbox = join(root, 'inbox');
    await mkdir(inbox);
    await writeFile(join(root, 'file'), 'x');
    const code = async (args: string[]): Promise<[number, string]> => {
      const result = await station.run([...args, '--json']);
      return [result.code, parseJson<{ error: { code: string } }>(result).error.code];
    };
    expect(await code(['watch', join(root, 'missing'), '--dest', join(root, 'd')])).toEqual([2, 'WATCH_INBOX_INVALID']);
    expect(await code(['watch', join(root, 'file'), '--dest', join(root, 'd')])).toEqual([2, 'WATCH_INBOX_INVALID']);
    expect(await code(['watch', inbox, '--dest', join(inbox, 'dest', 'deeper')])).toEqual([2, 'WATCH_INBOX_INVALID']);
    expect(await code(['watch', root, '--dest', join(root, 'elsewhere')])).toEqual([2, 'WATCH_INBOX_INVALID']); // the home lies inside it
    expect(await code(['watch', inbox, '--dest', join(root, 'd'), '--settle', 'soon'])).toEqual([2, 'USAGE']);
    expect(await code(['watch', inbox])).toEqual([2, 'USAGE']);
    expect(await code(['watch', '--status', inbox])).toEqual([3, 'NOT_FOUND']);
    expect(await readdir(inbox)).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(['file', 'home', 'inbox']);
  });
});
