/**
 * Whether an interrupted export's bundle was published (recovery/published-bundle.ts), for the
 * split form: only a COMPLETE, signed index copy naming the noted tag manifest, with its parts
 * beside it at their sizes, is a published set. Variants of every way a set falls short (the
 * signature not yet renamed, the copy of a volume before the last, a part missing or short,
 * another bundle's index under the name), the last volume elsewhere (the noted path), and the
 * proof without a note (part 1's front names the station and sequence).
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findPublishedBundle, type PublishedQuery } from '../../../../electron/core/recovery/published-bundle.js';
import { describeResult, parseJson } from '../../../helpers/cli-runner.js';
import { createStation } from '../../../helpers/station.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let original: string;
let tagmanifest: string;
let uuid: string;
let sequence: number;
const STATION = 'split-recovery';

beforeAll(async () => {
  const station = await createStation(await makeTemp('airlock-pub-st-'), 'Split Recovery');
  original = join(await makeTemp('airlock-pub-media-'), 'stick');
  await mkdir(original);
  await writeFile(join(station.home, 'config.json'), JSON.stringify({ stationName: STATION, mediaRoots: [original] }));
  const src = join(await makeTemp('airlock-pub-src-'), 'payload.bin');
  await writeFile(src, randomBytes(400 * 1024));
  const result = await station.run([
    'export',
    '--to-media',
    original,
    '--name',
    'set',
    '--part-size',
    '128K',
    '--passphrase-file',
    station.passFile,
    '--json',
    src,
  ]);
  expect(result.code, describeResult(result)).toBe(0);
  const bundle = parseJson<{ bundle: { tagmanifestSha256: string; uuid: string; sequence: number; media: { split: boolean } } }>(result).bundle;
  expect(bundle.media.split).toBe(true);
  ({ tagmanifestSha256: tagmanifest, uuid, sequence } = bundle);
}, 120_000);

/** A copy of the published set to damage. */
async function copySet(): Promise<string> {
  const dir = join(await makeTemp('airlock-pub-copy-'), 'stick');
  await cp(original, dir, { recursive: true });
  return dir;
}

const query = (dir: string, over: Partial<PublishedQuery> = {}): PublishedQuery => ({
  path: join(dir, 'set.airlock.tar'),
  station: STATION,
  sequence,
  notedTagmanifestSha256: tagmanifest,
  notedPath: join(dir, 'set.airlock-index.json.asc'),
  ...over,
});

describe('a split set found after a crash', () => {
  it('complete and signed, naming the noted tag manifest: published', async () => {
    const dir = await copySet();
    expect(findPublishedBundle(query(dir))).toMatchObject({ form: 'split', tagmanifestSha256: tagmanifest, uuid, path: join(dir, 'set.airlock-index.json') });
  });

  it('without a note: proven by part 1 naming this station and sequence; another sequence is not ours', async () => {
    const dir = await copySet();
    expect(findPublishedBundle(query(dir, { notedTagmanifestSha256: null, notedPath: null }))?.form).toBe('split');
    expect(findPublishedBundle(query(dir, { notedTagmanifestSha256: null, notedPath: null, sequence: sequence + 1 }))).toBeNull();
    expect(findPublishedBundle(query(dir, { notedTagmanifestSha256: null, notedPath: null, station: 'another' }))).toBeNull();
  });

  it('the index signature not renamed yet (killed before the completing rename): not published', async () => {
    const dir = await copySet();
    await rm(join(dir, 'set.airlock-index.json.asc'));
    expect(findPublishedBundle(query(dir))).toBeNull();
  });

  it('a part missing, or shorter than the index says: not published', async () => {
    const parts = (await readdir(original)).filter((f) => f.includes('.part-')).sort();
    expect(parts.length).toBeGreaterThan(2);
    const missing = await copySet();
    await rm(join(missing, parts[1] as string));
    expect(findPublishedBundle(query(missing))).toBeNull();
    const short = await copySet();
    await truncate(join(short, parts.at(-1) as string), 512);
    expect(findPublishedBundle(query(short))).toBeNull();
  });

  it('an index that is not complete (a copy of a volume before the last), or not an index at all: not published', async () => {
    const dir = await copySet();
    const index = JSON.parse(await readFile(join(dir, 'set.airlock-index.json'), 'utf8')) as { complete: boolean };
    index.complete = false;
    await writeFile(join(dir, 'set.airlock-index.json'), JSON.stringify(index));
    expect(findPublishedBundle(query(dir))).toBeNull();
    await writeFile(join(dir, 'set.airlock-index.json'), 'not json');
    expect(findPublishedBundle(query(dir))).toBeNull();
  });

  it('another bundle’s tag manifest noted (the name reused by another export): not this one', async () => {
    const dir = await copySet();
    expect(findPublishedBundle(query(dir, { notedTagmanifestSha256: 'f'.repeat(64) }))).toBeNull();
  });

  it('the last volume on another medium: found where the note says, not on the first volume', async () => {
    const last = await copySet();
    const first = await makeTemp('airlock-pub-first-');
    expect(findPublishedBundle(query(first, { notedPath: join(last, 'set.airlock-index.json.asc') }))?.path).toBe(join(last, 'set.airlock-index.json'));
    expect(findPublishedBundle(query(first, { notedPath: null }))).toBeNull();
  });
});
