/**
 * Tar shapes where one reader extracts content another skips (issue #16.3): each is
 * ARCHIVE_UNREADABLE for the archive walk, never a clean pass over the part node-tar sees.
 * Where a real reader shows the hidden file, the test proves it first, so the case is real.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonListing, walk } from '../helpers/archive-maker.js';
import { base256, header, octal, withData } from '../helpers/tar-grammar.js';

const END = Buffer.alloc(1024);
const file = (name: string, body: string): Buffer =>
  withData(header({ name: Buffer.from(name), size: octal(Buffer.byteLength(body), 12), typeflag: 0x30 }), Buffer.from(body));
/** A header of type `typeflag` (links name a target; node-tar refuses a link name on anything else). */
const special = (name: string, typeflag: string, size: number): Buffer =>
  header({
    name: Buffer.from(name),
    size: size < 0o77777777777 ? octal(size, 12) : base256(size, 12),
    typeflag: typeflag.charCodeAt(0),
    ...(typeflag === '1' || typeflag === '2' ? { linkname: Buffer.from('target') } : {}),
  });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-tar-hidden-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function gnuExtractAll(archive: Buffer, extra: string[] = []): Promise<string> {
  const path = join(dir, `gnu-${Math.random().toString(36).slice(2)}.tar`);
  await writeFile(path, archive);
  try {
    return execFileSync('tar', [...extra, '-x', '-O', '-f', path], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('latin1');
  } catch (error) {
    return String((error as { stdout?: Buffer }).stdout?.toString('latin1') ?? '');
  }
}

describe('links, devices and folders that declare data', () => {
  for (const [type, flag] of [
    ['SymbolicLink', '2'],
    ['Link', '1'],
    ['Directory', '5'],
    ['FIFO', '6'],
  ] as const) {
    it(`a ${type} whose declared data is another file's header: Python reads that file, the walk refuses or shows it`, async () => {
      const hidden = file('hidden.txt', 'MALWARE-MARKER');
      const archive = Buffer.concat([file('a.txt', 'visible'), special(type === 'Directory' ? 'd/' : 'l', flag, hidden.length), hidden, END]);
      expect(pythonListing(archive, dir).map((e) => e.name)).toContain('hidden.txt');
      const { findings, seen } = await walk(archive, 'tar');
      if (type === 'Directory') {
        // node-tar reads a folder's size as 0, as Python does: the next header is read, and shown.
        expect(findings).toEqual([]);
        expect(seen.map((s) => s.members)).toEqual([['a.txt'], ['hidden.txt']]);
      } else {
        expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_UNREADABLE', ['l']]]);
        expect(findings[0]?.detail).toContain('declares');
        expect(seen.map((s) => s.members)).toEqual([['a.txt']]);
      }
    });
  }

  it('a symlink declaring 8 GiB is refused at once, without reading on', async () => {
    const archive = Buffer.concat([special('link', '2', 8 * 1024 ** 3), file('after.txt', 'x'), END]);
    const { findings } = await walk(archive, 'tar');
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_UNREADABLE', ['link']]]);
    expect(findings[0]?.detail).toContain('8589934592');
  });

  it('links, folders and fifos without data are skipped, not refused', async () => {
    const archive = Buffer.concat([special('l', '2', 0), special('h', '1', 0), special('d/', '5', 0), special('p', '6', 0), file('f', 'f'), END]);
    const { findings, seen } = await walk(archive, 'tar');
    expect(findings).toEqual([]);
    expect(seen.map((s) => s.members)).toEqual([['f']]);
  });
});

describe('entries of a type node-tar does not know', () => {
  it('with data: GNU tar extracts it as a file, the walk refuses', async () => {
    const body = 'MALWARE-MARKER';
    const odd = withData(header({ name: Buffer.from('odd.bin'), size: octal(body.length, 12), typeflag: '9'.charCodeAt(0) }), Buffer.from(body));
    const archive = Buffer.concat([file('a.txt', 'a'), odd, file('b.txt', 'b'), END]);
    expect(await gnuExtractAll(archive)).toContain(body);
    const { findings } = await walk(archive, 'tar');
    expect(findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
    expect(findings[0]?.detail).toContain('type the station does not read');
  });

  it('without data (a volume label): counted and skipped', async () => {
    const archive = Buffer.concat([header({ name: Buffer.from('label'), size: octal(0, 12), typeflag: 'V'.charCodeAt(0) }), file('f', 'f'), END]);
    const { findings, seen } = await walk(archive, 'tar');
    expect(findings).toEqual([]);
    expect(seen.map((s) => s.members)).toEqual([['f']]);
  });
});

describe('data after the end-of-archive marker', () => {
  const hidden = 'MALWARE-MARKER';
  for (const [where, archive] of [
    ['right after the marker', Buffer.concat([file('a.txt', 'a'), END, file('hidden.txt', hidden), END])],
    ['after the record padding', Buffer.concat([file('a.txt', 'a'), END, Buffer.alloc(10240 - 2048), file('hidden.txt', hidden), END])],
  ] as const) {
    it(`${where}: tar --ignore-zeros extracts it, the walk refuses`, async () => {
      expect(await gnuExtractAll(archive, ['--ignore-zeros'])).toContain(hidden);
      expect(await gnuExtractAll(archive)).not.toContain(hidden);
      for (const chunkSize of [16 * 1024, 512, 7]) {
        const { findings, seen } = await walk(archive, 'tar', {}, { chunkSize });
        expect(findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
        expect(findings[0]?.detail).toContain('end-of-archive');
        expect(seen.map((s) => s.members)).toEqual([['a.txt']]);
      }
    });
  }

  it('zero padding after the marker is fine, however long', async () => {
    const archive = Buffer.concat([file('a.txt', 'a'), END, Buffer.alloc(300_000)]);
    expect((await walk(archive, 'tar')).findings).toEqual([]);
  });
});

describe('truncation', () => {
  it('a tar cut inside an entry is ARCHIVE_UNREADABLE', async () => {
    const archive = Buffer.concat([file('a.txt', 'a'), file('b.bin', 'b'.repeat(5000))]);
    for (const cut of [512 * 3, archive.length - 100]) {
      const { findings } = await walk(archive.subarray(0, cut), 'tar');
      expect(findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
    }
  });
});
