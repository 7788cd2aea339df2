/**
 * What one walk of a payload file's archive tree shares (issue #16.3): the limits and what has
 * been spent of them, the findings so far, the private temp folder, and the one way a member is
 * handled (walk-archive.ts's openMember, passed in so the zip, tar and gzip readers need not
 * import each other).
 *
 * What counts (docs/inspection-archives.md):
 * - entries: every entry of every archive in the tree (files, folders, links, devices, a gzip's
 *   one member), as it is met;
 * - expanded bytes: bytes that come out of a zip member or a gzip stream, counted as they are
 *   inflated (declared sizes lie), plus bytes spooled to the temp folder; a tar entry is a slice
 *   of bytes already counted (or of the payload file itself) and adds nothing;
 * - ratio: per archive, inflated bytes over compressed bytes, as it inflates (meters below),
 *   once an archive has inflated more than RATIO_GRACE_BYTES: a small tar.gz is mostly the tar's
 *   zero padding (10 KiB from a hundred bytes), and nothing that small is a bomb.
 * The entry and byte budgets are the whole tree's: once either is spent the walk stops
 * everywhere. Depth: the payload file's archive is depth 1; a tar inside a gzip is the same
 * archive (tar.gz), anything else inside an archive is one level deeper.
 */
import type { ArchiveMemberVisit, ArchiveWalkFinding, ArchiveWalkLimits, NestedZipSeen } from '../contract.js';
import type { MemberStream } from './member-stream.js';
import type { Spool } from './spool.js';

export type OpenMember = (ctx: WalkContext, member: MemberStream, members: string[], size: number, depth: number, mode: 'drain' | 'stop') => Promise<void>;

/** Inflated bytes an archive may produce before its ratio is held against it. */
export const RATIO_GRACE_BYTES = 256 * 1024;

export class WalkContext {
  readonly findings: ArchiveWalkFinding[] = [];
  /** The tree's entry or byte budget is spent: nothing more is read anywhere. */
  spent = false;
  private entries = 0;
  private expanded = 0;

  constructor(
    readonly limits: ArchiveWalkLimits,
    readonly visit: (member: ArchiveMemberVisit) => Promise<void>,
    readonly signal: AbortSignal | undefined,
    readonly spool: Spool,
    readonly openMember: OpenMember,
    readonly onNestedZip?: NestedZipSeen | undefined,
  ) {}

  find(code: ArchiveWalkFinding['code'], members: string[], detail: string): void {
    this.findings.push({ code, members, detail });
  }

  /** One more entry in the archive at `archive`; false (and a finding) past maxEntries. */
  countEntry(archive: string[]): boolean {
    if (this.spent) return false;
    this.entries += 1;
    if (this.entries <= this.limits.maxEntries) return true;
    this.spent = true;
    this.find(
      'ARCHIVE_LIMIT',
      archive,
      `holds more than ${this.limits.maxEntries} entries (with the archives around and inside it); the rest was not inspected`,
    );
    return false;
  }

  /** `bytes` more expanded in the archive at `archive`; false (and a finding) past maxExpandedBytes. */
  expand(bytes: number, archive: string[]): boolean {
    if (this.spent) return false;
    this.expanded += bytes;
    if (this.expanded <= this.limits.maxExpandedBytes) return true;
    this.spent = true;
    this.find(
      'ARCHIVE_LIMIT',
      archive,
      `expands to more than ${this.limits.maxExpandedBytes} bytes (with the archives around and inside it); the rest was not inspected`,
    );
    return false;
  }

  /** A finding for the ratio limit of the archive at `archive`. */
  ratioHit(archive: string[]): void {
    this.find('ARCHIVE_LIMIT', archive, `expands more than ${this.limits.maxRatio} times its compressed size; it was not expanded further`);
  }
}

/**
 * Counts one archive's inflated bytes against the tree's budget and against its own ratio.
 * `compressed()` is the compressed bytes to compare with: the archive's whole size (zip), or the
 * bytes fed to the inflater so far (gzip, whose size may not be known ahead).
 */
export function archiveMeter(ctx: WalkContext, archive: string[], compressed: () => number): (bytes: number) => boolean {
  let inflated = 0;
  let hit = false;
  return (bytes: number): boolean => {
    if (hit) return false;
    inflated += bytes;
    if (inflated > RATIO_GRACE_BYTES && inflated > ctx.limits.maxRatio * Math.max(compressed(), 1)) {
      hit = true;
      ctx.ratioHit(archive);
      return false;
    }
    if (!ctx.expand(bytes, archive)) {
      hit = true;
      return false;
    }
    return true;
  };
}
