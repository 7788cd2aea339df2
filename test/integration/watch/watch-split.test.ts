/**
 * A split bundle (parts + signed volume index, docs/bundle-format.md §14) in the inbox: it waits
 * while a part the index names is missing, then is claimed whole (index, signature, every part,
 * the marker) and imported through the index like `airlock import INDEX`.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchStatus } from '../../../shared/watch.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { inboxFolder, readStatusFiles, settledNames, startWatch, stopWatch, waitUntil } from '../../helpers/watch-process.js';

let root: string;
let station: TestStation;
let stick: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-watch-split-'));
  station = await createStation(root, 'Watch Split');
  stick = join(root, 'stick');
  await mkdir(stick);
  await writeFile(join(station.home, 'config.json'), JSON.stringify({ stationName: 'watch-split', mediaRoots: [stick] }));
  const src = join(root, 'src');
  await mkdir(src);
  for (let i = 0; i < 4; i += 1) await writeFile(join(src, `f${i}.bin`), Buffer.alloc(100 * 1024, i + 1));
  const result = await station.run(['export', '--to-media', stick, '--name', 'split1', '--part-size', '128K', '--passphrase-file', station.passFile, src]);
  expect(result.code, result.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('airlock watch with a split bundle', () => {
  it('waits for every part the index names, then imports the set whole', async () => {
    const files = await readdir(stick);
    const parts = files.filter((f) => f.includes('.part-')).sort();
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const inbox = join(root, 'inbox');
    await mkdir(inbox);
    // Everything but the last part, the index said complete by its marker.
    for (const file of files.filter((f) => f !== parts.at(-1))) await copyFile(join(stick, file), join(inbox, file));
    await writeFile(join(inbox, 'split1.airlock-index.json.done'), '');
    const dest = join(root, 'dest');
    const watch = startWatch(station.home, inbox, dest, ['--settle', '600']);
    await waitUntil('the watcher has looked', async () => {
      const status: WatchStatus | undefined = (await readStatusFiles(station.home))[0];
      return status !== undefined && status.counts.arriving >= parts.length - 1;
    });
    expect(await inboxFolder(inbox, 'accepted')).toEqual([]);
    expect((await readdir(inbox)).filter((f) => f.includes('.part-')).length).toBe(parts.length - 1);
    await copyFile(join(stick, parts.at(-1)!), join(inbox, parts.at(-1)!));
    await writeFile(join(inbox, 'split1.airlock-index.json.done'), ''); // newer than the last part
    await waitUntil('split1 accepted', async () => (await settledNames(inbox, 'accepted')).includes('split1'));
    expect(await stopWatch(watch)).toEqual({ code: 0, signal: null });
    const [folder] = await inboxFolder(inbox, 'accepted');
    expect((await readdir(join(inbox, 'accepted', folder!))).sort()).toEqual(
      [...files, 'split1.airlock-index.json.done', 'claim.json', 'outcome.json', 'report.json'].sort(),
    );
    expect((await readdir(join(dest, 'split1', 'src'))).sort()).toEqual(['f0.bin', 'f1.bin', 'f2.bin', 'f3.bin']);
    expect((await readdir(inbox)).filter((f) => !['accepted', 'quarantine', 'refused', '.airlock-watch'].includes(f))).toEqual([]);
  }, 180_000);
});
