import { describe, expect, it } from 'vitest';
import { makeArchive, readAll, sha256, walk, type ArchiveSpec } from '../../../../helpers/archive-maker.js';

const text = (t: string) => ({ text: t });

describe('walkArchive: zip, tar, gzip members in order', () => {
  it('shows each zip member with its bytes, skipping folders, and counts nothing as a finding', async () => {
    const zip = makeArchive({
      kind: 'zip',
      members: [
        { name: 'a.txt', data: text('alpha') },
        { name: 'dir/', type: 'dir' },
        { name: 'dir/b.bin', compress: 'stored', data: { random: 3000, seed: 2 } },
      ],
    });
    const { findings, seen } = await walk(zip, 'zip');
    expect(findings).toEqual([]);
    expect(seen.map((s) => [s.members, s.size, s.bytes])).toEqual([
      [['a.txt'], 5, 5],
      [['dir/b.bin'], 3000, 3000],
    ]);
    expect(seen[0]?.sha256).toBe(sha256('alpha'));
  });

  it('shows tar members and skips folders, symlinks, hard links and fifos (they are not content)', async () => {
    const tar = makeArchive({
      kind: 'tar',
      members: [
        { name: 'd', type: 'dir' },
        { name: 'd/one.txt', data: text('one') },
        { name: 'd/link', type: 'symlink', target: '/etc/passwd' },
        { name: 'd/hard', type: 'hardlink', target: 'd/one.txt' },
        { name: 'd/pipe', type: 'fifo' },
        { name: 'd/two.txt', data: text('two!') },
      ],
    });
    const { findings, seen } = await walk(tar, 'tar');
    expect(findings).toEqual([]);
    expect(seen.map((s) => s.members)).toEqual([['d/one.txt'], ['d/two.txt']]);
    // Links and the rest still count as entries: six entries do not fit in five.
    const limited = await walk(tar, 'tar', { maxEntries: 5 });
    expect(limited.findings.map((f) => f.code)).toEqual(['ARCHIVE_LIMIT']);
  });

  it('walks a tar.gz as one archive and names a plain gzip member without .gz', async () => {
    const tgz = makeArchive({ kind: 'tgz', members: [{ name: 'x.txt', data: text('x') }] });
    expect((await walk(tgz, 'gzip')).seen.map((s) => s.members)).toEqual([['x.txt']]);
    const gz = makeArchive({ kind: 'gzip', data: text('hello'), gzipName: 'report.txt' });
    const plain = await walk(gz, 'gzip');
    expect(plain.findings).toEqual([]);
    expect(plain.seen).toEqual([{ members: ['report.txt'], size: 5, bytes: 5, sha256: sha256('hello') }]);
    const nested = makeArchive({ kind: 'tar', members: [{ name: 'notes.txt.gz', data: { archive: { kind: 'gzip', data: text('n') } } }] });
    expect((await walk(nested, 'tar')).seen.map((s) => [s.members, s.size])).toEqual([[['notes.txt.gz', 'notes.txt'], 1]]);
  });

  it('never gives a gzip member a size below the bytes already out, whatever its trailer says', async () => {
    const big = makeArchive({ kind: 'tar', members: [{ name: 'big.bin.gz', data: { archive: { kind: 'gzip', data: { random: 100_000, seed: 3 } } } }] });
    const nested = await walk(big, 'tar');
    expect(nested.seen.map((s) => [s.members, s.bytes])).toEqual([[['big.bin.gz', 'big.bin'], 100_000]]);
    expect(nested.seen[0]?.size).toBeGreaterThan(0);
    const lying = makeArchive({ kind: 'gzip', data: { random: 100_000, seed: 4 }, gzipName: 'x' });
    lying.writeUInt32LE(0, lying.length - 4);
    const top = await walk(lying, 'gzip');
    expect(top.seen[0]?.size).toBeGreaterThan(0);
    expect(top.findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
    const honest = makeArchive({ kind: 'gzip', data: { random: 100_000, seed: 4 }, gzipName: 'x' });
    expect((await walk(honest, 'gzip')).seen.map((s) => [s.size, s.bytes])).toEqual([[100_000, 100_000]]);
  });

  it('reads zip64 archives', async () => {
    const zip = makeArchive({ kind: 'zip', zip64: true, members: [{ name: 'big-ish.bin', data: { zeros: 70_000 } }] });
    const { findings, seen } = await walk(zip, 'zip', { maxRatio: 100_000 });
    expect(findings).toEqual([]);
    expect(seen.map((s) => [s.members, s.bytes])).toEqual([[['big-ish.bin'], 70_000]]);
  });

  it('reports hostile names as they are and never uses them as paths', async () => {
    const names = ['../../etc/passwd', '/abs/olute', 'C:\\win\\path', 'dir/../../up'];
    const zip = makeArchive({ kind: 'zip', members: names.map((name) => ({ name, data: text(name) })) });
    expect((await walk(zip, 'zip')).seen.map((s) => s.members[0])).toEqual(names);
    const tar = makeArchive({ kind: 'tar', members: [...names.map((name) => ({ name, data: text(name) })), { nameHex: '61006200', data: text('nul') }] });
    const { findings, seen } = await walk(tar, 'tar');
    expect(seen.map((s) => s.members[0]).slice(0, names.length)).toEqual(names);
    // A NUL ends a tar name for every reader; what is left is still a member, inspected.
    expect(seen).toHaveLength(names.length + 1);
    expect(findings).toEqual([]);
    // A zip name keeps its NUL (the stored bytes, as they are): still a name, never a path.
    const nul = makeArchive({ kind: 'zip-encrypted', members: [{ nameHex: '2e2e2f610062', data: text('n'), encrypted: false }] });
    const zipped = await walk(nul, 'zip');
    expect(zipped.findings).toEqual([]);
    expect(zipped.seen.map((s) => s.members)).toEqual([['../a\u0000b']]);
  });
});

describe('walkArchive: visit may read all, part or nothing', () => {
  const spec: ArchiveSpec = {
    kind: 'tgz',
    members: [
      { name: 'a.bin', data: { random: 200_000, seed: 1 } },
      { name: 'b.bin', data: { random: 100_000, seed: 2 } },
      { name: 'c.txt', data: text('c') },
    ],
  };
  const modes = {
    none: () => Promise.resolve(null),
    part: async (visit: { stream: NodeJS.ReadableStream }) => {
      for await (const chunk of visit.stream as AsyncIterable<Buffer>) return chunk.subarray(0, 10);
      return null;
    },
    destroy: (visit: { stream: { destroy(): void } }) => {
      visit.stream.destroy();
      return Promise.resolve(null);
    },
  };
  for (const [mode, read] of Object.entries(modes)) {
    it(`goes on to the next member when visit reads ${mode === 'none' ? 'nothing' : mode === 'part' ? 'part' : 'nothing and destroys the stream'}`, async () => {
      const order: string[][] = [];
      const { findings } = await walk(
        makeArchive(spec),
        'gzip',
        {},
        {
          read: async (visit) => {
            order.push(visit.members);
            return read(visit);
          },
        },
      );
      expect(findings).toEqual([]);
      expect(order).toEqual([['a.bin'], ['b.bin'], ['c.txt']]);
    });
  }

  it('awaits each visit before the next member', async () => {
    const zip = makeArchive({ kind: 'zip', members: [1, 2, 3].map((n) => ({ name: `${n}.txt`, data: text(String(n)) })) });
    const events: string[] = [];
    await walk(
      zip,
      'zip',
      {},
      {
        read: async (visit) => {
          events.push(`start ${visit.members[0]}`);
          const bytes = await readAll(visit.stream);
          await new Promise((resolve) => setTimeout(resolve, 5));
          events.push(`end ${visit.members[0]}`);
          return bytes;
        },
      },
    );
    expect(events).toEqual(['start 1.txt', 'end 1.txt', 'start 2.txt', 'end 2.txt', 'start 3.txt', 'end 3.txt']);
  });

  it('passes a visit rejection through, and is cancelled by its AbortSignal', async () => {
    const zip = makeArchive({ kind: 'zip', members: [{ name: 'a', data: text('a') }] });
    await expect(walk(zip, 'zip', {}, { read: () => Promise.reject(new Error('scanner broke')) })).rejects.toThrow('scanner broke');
    const controller = new AbortController();
    const tgz = makeArchive(spec);
    await expect(
      walk(
        tgz,
        'gzip',
        {},
        {
          signal: controller.signal,
          read: async (visit) => {
            controller.abort();
            return readAll(visit.stream);
          },
        },
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
