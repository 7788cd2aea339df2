/**
 * Archives for the archive-walk tests (issue #16.3), built by Python's zipfile/tarfile/gzip
 * (archive-maker.py) so the walk is checked against an independent implementation, and a way
 * to run the walk and collect what it showed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ArchiveMemberVisit, ArchiveWalkFinding, ArchiveWalkLimits, ByteSource } from '../../electron/core/inspect/contract.js';
import { walkArchive } from '../../electron/core/inspect/archives/walk-archive.js';

const SCRIPT = join(fileURLToPath(new URL('.', import.meta.url)), 'archive-maker.py');

export type DataSpec = { text: string } | { hex: string } | { zeros: number } | { random: number; seed?: number } | { archive: ArchiveSpec };

export interface MemberSpec {
  name?: string;
  /** The name's raw bytes in hex (for names Python's str would not hold as given, e.g. with NUL). */
  nameHex?: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo';
  target?: string;
  compress?: 'stored' | 'deflated';
  data?: DataSpec;
  /** zip-encrypted only: false for a member in the clear. */
  encrypted?: boolean;
}

export type ArchiveSpec =
  | { kind: 'zip'; members: MemberSpec[]; zip64?: boolean }
  | { kind: 'tar'; members: MemberSpec[]; format?: 'pax' | 'gnu' | 'ustar' }
  | { kind: 'tgz'; members: MemberSpec[]; format?: 'pax' | 'gnu' | 'ustar'; gzipName?: string }
  | { kind: 'gzip'; data: DataSpec; gzipName?: string }
  | { kind: 'zip-encrypted'; members: MemberSpec[] }
  | { kind: 'zip-method'; method: number; data: DataSpec }
  | { kind: 'zip-shared-header'; size: number; count: number }
  | { kind: 'zip-overlap'; size: number; count: number }
  | { kind: 'raw'; data: DataSpec };

export function makeArchive(spec: ArchiveSpec): Buffer {
  return execFileSync('python3', [SCRIPT, 'build'], { input: JSON.stringify(spec), maxBuffer: 1024 ** 3 });
}

/** Python's listing of the regular files in a zip or (compressed) tar: names and sizes, in order. */
export function pythonListing(archive: Buffer, dir: string): Array<{ name: string; size: number }> {
  const path = join(dir, `listing-${createHash('sha256').update(archive).digest('hex').slice(0, 12)}`);
  writeFileSync(path, archive);
  return JSON.parse(execFileSync('python3', [SCRIPT, 'list', path], { encoding: 'utf8' })) as Array<{ name: string; size: number }>;
}

/** A ByteSource over bytes in memory, counting how it is read. */
export function bufferSource(bytes: Buffer, chunkSize = 16 * 1024): ByteSource & { streams: number } {
  const source = {
    size: bytes.length,
    streams: 0,
    read(position: number, length: number): Promise<Buffer> {
      return Promise.resolve(Buffer.from(bytes.subarray(position, Math.min(bytes.length, position + length))));
    },
    stream(start = 0, end = bytes.length): Readable {
      source.streams += 1;
      const slice = bytes.subarray(start, end);
      const chunks: Buffer[] = [];
      for (let at = 0; at < slice.length; at += chunkSize) chunks.push(slice.subarray(at, at + chunkSize));
      return Readable.from(chunks, { objectMode: false });
    },
  };
  return source;
}

export const WIDE_LIMITS: ArchiveWalkLimits = { maxDepth: 5, maxEntries: 10_000, maxExpandedBytes: 4 * 1024 ** 3, maxRatio: 100 };

export interface SeenMember {
  members: string[];
  size: number;
  bytes: number;
  sha256: string;
}

/** Runs the walk; each member is read whole (or as `read` says) and recorded. */
export async function walk(
  archive: Buffer,
  kind: 'zip' | 'tar' | 'gzip',
  limits: Partial<ArchiveWalkLimits> = {},
  options: { read?: (visit: ArchiveMemberVisit) => Promise<Buffer | null>; signal?: AbortSignal; chunkSize?: number } = {},
): Promise<{ findings: ArchiveWalkFinding[]; seen: SeenMember[] }> {
  const seen: SeenMember[] = [];
  const findings = await walkArchive(
    bufferSource(archive, options.chunkSize),
    kind,
    { ...WIDE_LIMITS, ...limits },
    async (visit) => {
      const bytes = options.read ? await options.read(visit) : await readAll(visit.stream);
      if (bytes) seen.push({ members: visit.members, size: visit.size, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    },
    options.signal,
  );
  return { findings, seen };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
