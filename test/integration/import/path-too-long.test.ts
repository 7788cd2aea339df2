/**
 * A payload path that fits at its final name but not in the import's staging folder (whose name
 * carries its owner's stamp, about 80 bytes): the system's ENAMETOOLONG is PATH_TOO_LONG with a
 * next step about shorter paths (it was IO_ERROR, whose next step is about cables and write
 * protection), exit 3, and the destination is left as it was.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_ACTIONS } from '../../../shared/error-actions.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type ErrorJson, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let station: TestStation;

beforeAll(async () => {
  station = await createStation(await makeTemp('airlock-longpath-station-'));
});

/** Folders of 200 bytes down to a file, so that `dest/NAME/top/...` is `finalBytes` long. */
function deepPath(finalPrefixBytes: number, finalBytes: number): string {
  const parts: string[] = [];
  let length = finalPrefixBytes;
  while (finalBytes - length > 210) {
    parts.push('d'.repeat(200));
    length += 201;
  }
  parts.push('f'.repeat(finalBytes - length));
  return parts.join('/');
}

describe('import: a path too long for the staging folder', () => {
  it('is PATH_TOO_LONG with its next step, exit 3, and nothing in the destination', async () => {
    const src = await makeTemp('airlock-longpath-src-');
    const dest = await makeTemp('airlock-longpath-dest-');
    // Final name: DEST/deep/top/<rel>; 4,040 bytes leaves 55 under PATH_MAX, less than the staging folder adds.
    const rel = deepPath(`${dest}/deep/top/`.length, 4040);
    await mkdir(join(src, 'top', rel, '..'), { recursive: true });
    await writeFile(join(src, 'top', rel), 'deep\n');
    const out = await makeTemp('airlock-longpath-out-');
    await station.exportBundle(out, 'deep', [join(src, 'top')]);

    const result = await station.run(['import', join(out, 'deep.airlock.tar'), '--dest', dest, '--passphrase-file', station.passFile, '--json']);
    expect(result.code, describeResult(result)).toBe(3);
    expect(parseJson<ErrorJson>(result).error.code).toBe('PATH_TOO_LONG');
    expect(result.stderr).toContain(`Next: ${ERROR_ACTIONS.PATH_TOO_LONG}`);
    expect(await readdir(dest)).toEqual([]);
  }, 60_000);
});
