/**
 * The plug-in point for checks of what a bundle's payload holds (content inspection: true file
 * types, archives, a virus scanner; OCI image layouts). Verification proves a file is the one
 * the trusted signer listed; an inspector says whether this station should take what it holds.
 *
 * An inspector sees each listed payload file that the signed manifest lists and whose size is
 * within the limits, chunk by chunk, in the same single read as the checksum (steps/payload-entry.ts):
 * it never reads the bundle again. Its problems are reported like any other entry's, in archive
 * order, after the file's own checksum verdict; they reject the bundle (verify reports them,
 * import refuses). Once the archive is read and complete, `finish` runs for bundle-level rules
 * (an OCI index naming a blob the bundle does not hold). Memory per file must stay bounded: a
 * bundle may hold a million files.
 */
import type { Problem } from '../../../shared/problems.js';
import type { ByteSource } from '../inspect/contract.js';

export interface InspectedFile {
  /** The bag path (`data/...`). */
  path: string;
  /** Bytes the archive declares for it (already within the station's limits). */
  size: number;
  /**
   * The file's bytes read again, for checks that need random access (a zip's central directory):
   * valid from `end` on, until it returns. The staged copy in an import, the bundle file at the
   * entry's offset in verify; null when the pass has nowhere to read them back from (a bundle on
   * stdin, a split bundle's parts): the inspector then keeps its own copy as the chunks pass.
   */
  reread?: (() => ByteSource | null) | undefined;
}

/** Watches one file's bytes. */
export interface FileInspection {
  /**
   * false: this inspection needs none of the file's bytes, only `end` (its size and verdict are
   * enough), so a pass that hashes the file elsewhere (verify on both cores) need not read them
   * here; `update` may then not be called at all. Any other value: every byte, in order.
   */
  readonly readsBytes?: boolean | undefined;
  /** A chunk of the file, in order; it is not kept by the caller after this returns. */
  update(chunk: Buffer): void | Promise<void>;
  /** All bytes seen; `verified` says whether they matched the signed checksum. Problems found, if any. */
  end(verified: boolean): Problem[] | Promise<Problem[]>;
}

export interface PayloadInspector {
  /** Names the inspector in docs and diagnostics. */
  readonly name: string;
  /** Called before a listed file's bytes stream; null when this inspector has nothing to look at in it. */
  inspect?(file: InspectedFile): FileInspection | null;
  /** After every entry was read and the payload found complete: bundle-level problems. */
  finish?(): Problem[] | Promise<Problem[]>;
}
