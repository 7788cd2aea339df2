import { describe, expect, it } from 'vitest';
import { makeArchive, walk, type ArchiveSpec, type MemberSpec } from '../../../../helpers/archive-maker.js';

const text = (t: string) => ({ text: t });

/** Archives nested `depth` deep, alternating zip and tar.gz from the outside in; each holds a note and the next. */
function chain(depth: number): { spec: ArchiveSpec; names: string[] } {
  const names: string[] = [];
  let inner: MemberSpec[] = [{ name: 'marker.txt', data: text('innermost') }];
  let spec: ArchiveSpec = { kind: 'zip', members: inner };
  for (let level = depth; level >= 1; level -= 1) {
    spec = level % 2 === 1 ? { kind: 'zip', members: inner } : { kind: 'tgz', members: inner };
    if (level > 1) {
      const name = `level${level}.${level % 2 === 1 ? 'zip' : 'tar.gz'}`;
      names.unshift(name);
      inner = [
        { name: `note${level - 1}.txt`, data: text(`note ${level - 1}`) },
        { name, data: { archive: spec } },
      ];
    }
  }
  return { spec, names };
}

describe('walkArchive: depth', () => {
  for (const depth of [4, 5]) {
    it(`opens a zip in a tar.gz in a zip ... ${depth} archives deep with maxDepth 5`, async () => {
      const { spec, names } = chain(depth);
      const { findings, seen } = await walk(makeArchive(spec), 'zip', { maxDepth: 5 });
      expect(findings).toEqual([]);
      expect(seen.map((s) => s.members)).toContainEqual([...names, 'marker.txt']);
    });
  }

  it('stops at the sixth archive with maxDepth 5: ARCHIVE_LIMIT naming it, shown whole as a plain member', async () => {
    const { spec, names } = chain(6);
    const { findings, seen } = await walk(makeArchive(spec), 'zip', { maxDepth: 5 });
    expect(findings).toEqual([{ code: 'ARCHIVE_LIMIT', members: names, detail: expect.stringContaining('deeper than 5') as string }]);
    expect(seen.map((s) => s.members)).toContainEqual(names);
    expect(seen.map((s) => s.members)).toContainEqual([...names.slice(0, 4), 'note5.txt']);
    expect(seen.some((s) => s.members.at(-1) === 'marker.txt')).toBe(false);
  });

  it('maxDepth 1 opens only the payload file itself', async () => {
    const { spec, names } = chain(2);
    const { findings } = await walk(makeArchive(spec), 'zip', { maxDepth: 1 });
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_LIMIT', names]]);
  });

  it('counts gzip inside gzip as one level each (no endless unwrapping)', async () => {
    let spec: ArchiveSpec = { kind: 'gzip', data: text('core'), gzipName: 'x' };
    for (let i = 0; i < 7; i += 1) spec = { kind: 'gzip', data: { archive: spec } };
    const { findings } = await walk(makeArchive(spec), 'gzip', { maxDepth: 5 });
    expect(findings.map((f) => f.code)).toEqual(['ARCHIVE_LIMIT']);
  });
});

describe('walkArchive: entries and expanded bytes over the whole tree', () => {
  it('stops past maxEntries, counting the members of nested archives too', async () => {
    const many = makeArchive({ kind: 'zip', members: Array.from({ length: 60 }, (_, i) => ({ name: `m${i}.txt`, data: text(String(i)) })) });
    const within = await walk(many, 'zip', { maxEntries: 60 });
    expect(within.findings).toEqual([]);
    expect(within.seen).toHaveLength(60);
    const over = await walk(many, 'zip', { maxEntries: 59 });
    expect(over.findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_LIMIT', []]]);
    expect(over.seen.length).toBeLessThan(60);
    const nested = makeArchive({
      kind: 'tar',
      members: [
        { name: 'a.zip', data: { archive: { kind: 'zip', members: Array.from({ length: 30 }, (_, i) => ({ name: `${i}`, data: text('x') })) } } },
        { name: 'b.zip', data: { archive: { kind: 'zip', members: Array.from({ length: 30 }, (_, i) => ({ name: `${i}`, data: text('y') })) } } },
      ],
    });
    const tree = await walk(nested, 'tar', { maxEntries: 50 });
    expect(tree.findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_LIMIT', ['b.zip']]]);
  });

  it('counts real inflated bytes against maxExpandedBytes, across archives', async () => {
    const member = (seed: number) => ({ name: `r${seed}.bin`, data: { random: 300_000, seed } });
    const zip = makeArchive({ kind: 'zip', members: [member(1), member(2), member(3)] });
    expect((await walk(zip, 'zip', { maxExpandedBytes: 900_000 })).findings).toEqual([]);
    const over = await walk(zip, 'zip', { maxExpandedBytes: 700_000 });
    expect(over.findings.map((f) => f.code)).toEqual(['ARCHIVE_LIMIT']);
    expect(over.seen.reduce((sum, s) => sum + s.bytes, 0)).toBeLessThanOrEqual(700_000);
  });
});

describe('walkArchive: what cannot be inspected is a finding', () => {
  it('an encrypted zip member is ARCHIVE_ENCRYPTED, and the walk goes on with the others', async () => {
    const zip = makeArchive({
      kind: 'zip-encrypted',
      members: [
        { name: 'secret.txt', data: text('hidden') },
        { name: 'open.txt', data: text('open'), encrypted: false },
      ],
    });
    const { findings, seen } = await walk(zip, 'zip');
    expect(findings).toEqual([{ code: 'ARCHIVE_ENCRYPTED', members: ['secret.txt'], detail: 'is encrypted' }]);
    expect(seen.map((s) => s.members)).toEqual([['open.txt']]);
  });

  it('an unknown compression method is ARCHIVE_UNREADABLE for that member only', async () => {
    const { findings, seen } = await walk(makeArchive({ kind: 'zip-method', method: 14, data: text('lzma?') }), 'zip');
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_UNREADABLE', ['odd.bin']]]);
    expect(seen.map((s) => s.members)).toEqual([['plain.txt']]);
  });

  it('a truncated zip is ARCHIVE_UNREADABLE (the central directory is the truth, and it is gone)', async () => {
    const zip = makeArchive({ kind: 'zip', members: [{ name: 'a.txt', data: { random: 5000 } }] });
    for (const cut of [10, zip.length - 30, zip.length - 1]) {
      const { findings, seen } = await walk(zip.subarray(0, cut), 'zip');
      expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_UNREADABLE', []]]);
      expect(seen).toEqual([]);
    }
  });

  it('damaged deflate data in a member is ARCHIVE_UNREADABLE naming it', async () => {
    const zip = makeArchive({ kind: 'zip', members: [{ name: 'a.txt', data: { random: 5000, seed: 9 } }] });
    const bad = Buffer.from(zip);
    bad.fill(0xff, 40, 200);
    const { findings } = await walk(bad, 'zip');
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_UNREADABLE', ['a.txt']]]);
  });

  it('gzip of garbage is ARCHIVE_UNREADABLE, and so is a tar that is not one', async () => {
    const garbage = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff]), Buffer.from('this is not deflate data at all, not at all')]);
    expect((await walk(garbage, 'gzip')).findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
    const fakeTar = Buffer.alloc(1024, 0x41);
    fakeTar.write('ustar', 257);
    expect((await walk(fakeTar, 'tar')).findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
    const truncatedTgz = makeArchive({ kind: 'tgz', members: [{ name: 'a', data: { random: 50_000 } }] });
    expect((await walk(truncatedTgz.subarray(0, truncatedTgz.length - 2000), 'gzip')).findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
  });

  it('a nested archive in a format the station does not open is ARCHIVE_UNREADABLE naming the format, and still shown', async () => {
    const sevenZip = '377abcaf271c0004' + '00'.repeat(40);
    const rar = '526172211a0700' + '00'.repeat(40);
    const zip = makeArchive({
      kind: 'zip',
      members: [
        { name: 'in.7z', data: { hex: sevenZip } },
        { name: 'in.rar', data: { hex: rar } },
      ],
    });
    const { findings, seen } = await walk(zip, 'zip');
    expect(findings.map((f) => [f.code, f.members, f.detail])).toEqual([
      ['ARCHIVE_UNREADABLE', ['in.7z'], expect.stringContaining('7z') as string],
      ['ARCHIVE_UNREADABLE', ['in.rar'], expect.stringContaining('rar') as string],
    ]);
    expect(seen.map((s) => s.members)).toEqual([['in.7z'], ['in.rar']]);
  });
});
