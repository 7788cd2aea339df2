import type { AuditFileRow, AuditFileRows } from '../audit/audit-event.js';
import type { TaggedPayload, TaggedPayloadFile } from '../bundle/bag-tag-files.js';
import type { DigestTable } from '../bundle/digest-table.js';
import type { HashedSource } from './hash-sources.js';
import type { SourceFile } from './source-scan.js';
import type { SourceFiles } from './source-list.js';

/**
 * The one-pass export's payload as signed: the scan's files and the pass's digests, side by side.
 * Each file's row (for the manifest, for the audit log) is made when it is read and dropped after:
 * copying every file into a HashedSource, and again into an audit row, held two more objects per
 * file until the export ended (issue #18). `hashedSources()` makes the copies for the few callers
 * that want them (an image check, the two-pass rewrite after a signature refit).
 */
export class HashedPayload {
  constructor(
    private readonly files: SourceFiles,
    private readonly digests: DigestTable,
  ) {
    if (digests.length !== files.length) throw new RangeError(`${files.length} files but ${digests.length} digests`);
  }

  get length(): number {
    return this.files.length;
  }

  /** The rows the tag files list (buildBagTags). */
  tagged(): TaggedPayload {
    return this.rows((file, sha256): TaggedPayloadFile => ({ bagPath: file.bagPath, size: file.size, sha256 }));
  }

  /** The manifest's entries (manifest-writer.ts). */
  manifestEntries(): Iterable<{ path: string; sha256: string }> {
    return this.rows((file, sha256) => ({ path: file.bagPath, sha256 }));
  }

  /** The audit log's per-file rows, in manifest order; `release` frees the digests (a spill's file) once they are recorded. */
  auditRows(): AuditFileRows {
    const digests = this.digests;
    return { ...this.rows((file, sha256): AuditFileRow => ({ path: file.bagPath, size: file.size, sha256 })), release: () => digests.release() };
  }

  /** Every file with its digest in hex, as `make` shapes it: made as it is read, never held. */
  private rows<T>(make: (file: SourceFile, sha256: string) => T): { length: number } & Iterable<T> {
    const { files, digests } = this;
    return {
      length: files.length,
      *[Symbol.iterator](): Iterator<T> {
        for (let index = 0; index < files.length; index += 1) yield make(files.at(index) as SourceFile, digests.hexAt(index));
      },
    };
  }

  hashedSources(): HashedSource[] {
    return Array.from(this.files, (file, index) => ({ ...file, sha256: this.digests.hexAt(index) }));
  }
}
