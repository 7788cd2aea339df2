import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RegionCheck, type ExpectedRegion } from '../../../../../electron/core/media/read-back/region-check.js';
import { describeReadBackRegion, type ReadBackRegion } from '../../../../../shared/read-back-region.js';

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The sample's regions by a short label (the tests' keys). */
const REGION: Record<string, ReadBackRegion> = {
  'tag files': { part: 'tag-files-head', path: null },
  header: { part: 'entry-header', path: 'data/a.bin' },
  payload: { part: 'entry-payload', path: 'data/a.bin' },
  padding: { part: 'entry-padding', path: 'data/a.bin' },
  'empty payload': { part: 'entry-payload', path: 'data/empty' },
  'no padding': { part: 'entry-padding', path: 'data/empty' },
  end: { part: 'end-blocks', path: null },
};
const region = (label: string): ReadBackRegion => REGION[label] as ReadBackRegion;
/** What a mismatch in the labelled region says: the region as data and in the engine's English. */
const named = (label: string, extra: Partial<ReadBackRegion> = {}) => {
  const r = { ...region(label), ...extra };
  return { region: r, what: describeReadBackRegion(r) };
};

/** A small archive-like file: bytes, a payload by digest, padding, an empty payload, end zeros. */
function sample(): { file: Buffer; regions: ExpectedRegion[]; at: Record<string, [number, number]> } {
  const head = randomBytes(1536);
  const payload = randomBytes(5000);
  const header = randomBytes(512);
  const pad = Buffer.alloc(120);
  const end = Buffer.alloc(1024);
  const regions: ExpectedRegion[] = [
    { kind: 'bytes', bytes: head, region: region('tag files') },
    { kind: 'bytes', bytes: header, region: region('header') },
    { kind: 'sha256', length: payload.length, sha256: sha(payload), region: region('payload') },
    { kind: 'zeros', length: pad.length, region: region('padding') },
    { kind: 'sha256', length: 0, sha256: sha(Buffer.alloc(0)), region: region('empty payload') },
    { kind: 'zeros', length: 0, region: region('no padding') },
    { kind: 'zeros', length: end.length, region: region('end') },
  ];
  const file = Buffer.concat([head, header, payload, pad, end]);
  let offset = 0;
  const at: Record<string, [number, number]> = {};
  regions.forEach((r, i) => {
    const length = r.kind === 'bytes' ? r.bytes.length : r.length;
    at[Object.keys(REGION)[i] as string] = [offset, length];
    offset += length;
  });
  return { file, regions, at };
}

function check(regions: ExpectedRegion[], file: Buffer, chunk: number): ReturnType<RegionCheck['finish']> {
  const regionCheck = new RegionCheck(regions);
  for (let at = 0; at < file.length; at += chunk) regionCheck.update(file.subarray(at, Math.min(file.length, at + chunk)));
  return regionCheck.finish();
}

describe('RegionCheck', () => {
  it('passes the bytes written, whatever the chunking (chunks across region boundaries)', () => {
    const { file, regions } = sample();
    for (const chunk of [1, 7, 512, 4096, 1 << 20]) expect(check(regions, file, chunk)).toBeNull();
  });

  it('one flipped byte in any region is found, and named by its region', () => {
    const { file, regions, at } = sample();
    for (const what of ['tag files', 'header', 'payload', 'padding', 'end']) {
      const [start, length] = at[what] as [number, number];
      for (const inside of [0, Math.floor(length / 2), length - 1]) {
        const bad = Buffer.from(file);
        bad[start + inside] = (bad[start + inside] as number) ^ 0x01;
        for (const chunk of [3, 4096]) expect(check(regions, bad, chunk), `${what} +${inside}`).toEqual({ offset: start, length, ...named(what) });
      }
    }
  });

  it('a file shorter or longer than the regions fails (a wrapped or truncated write)', () => {
    const { file, regions } = sample();
    expect(check(regions, file.subarray(0, file.length - 1), 4096)).toEqual({ offset: file.length - 1, length: 1, ...named('end', { endsEarly: true }) });
    expect(check(regions, Buffer.concat([file, Buffer.alloc(1)]), 4096)).toEqual({
      offset: file.length,
      length: 1,
      region: { part: 'past-end', path: null },
      what: 'bytes past the end of the archive',
    });
    expect(check(regions, Buffer.alloc(0), 4096)).toMatchObject({
      offset: 0,
      ...named('tag files', { endsEarly: true }),
      what: 'the tag files bagit.txt and bag-info.txt (the file ends early)',
    });
  });

  it('a payload swapped for another of the same length fails on its digest', () => {
    const { file, regions, at } = sample();
    const [start, length] = at['payload'] as [number, number];
    const bad = Buffer.from(file);
    randomBytes(length).copy(bad, start);
    expect(check(regions, bad, 65536)).toEqual({ offset: start, length, ...named('payload'), what: 'data/a.bin (against its SHA-256 in the signed manifest)' });
  });

  it('reports the first region that differs when several do', () => {
    const { file, regions, at } = sample();
    const bad = Buffer.from(file);
    const [padAt] = at['padding'] as [number, number];
    const [headerAt] = at['header'] as [number, number];
    bad[padAt] = 1;
    bad[headerAt + 3] = (bad[headerAt + 3] as number) ^ 0xff;
    expect(check(regions, bad, 100)).toMatchObject({ offset: headerAt, ...named('header') });
  });
});
