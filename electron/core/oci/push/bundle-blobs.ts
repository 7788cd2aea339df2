/**
 * A push-only import (`--push-to` without `--dest`) of a bundle that is one plain file leaves its
 * large blobs where they are: in the bundle. The verify pass hashes them as always (against the
 * signed manifest, and the OCI check against their names), but instead of writing them to the
 * spool this sink notes where each one's bytes lie in the bundle file; the push reads them from
 * there (staged-layout.ts). Manifests, indexes, configs and other blobs up to
 * LEAVE_IN_BUNDLE_MIN_BYTES are staged as before.
 *
 * Why this is safe: the bytes read again are hashed again as they are sent, and the upload is
 * never closed unless they hash to the verified digest (registry/blob-upload.ts); the registry
 * checks the digest on the closing PUT too. A bundle rewritten after verification therefore
 * fails the push (BUNDLE_CHANGED), and nothing of it is stored under a verified digest.
 * Why it pays: the spool copy cost a write of every byte (and its removal) for bytes read once
 * more anyway (docs/design-notes.md "Push speed").
 */
import type { PayloadFileWriter, PayloadSink } from '../../verify/check-bundle.js';
import { MANIFEST_MAX_BYTES } from './staged-layout.js';

/** Blobs above this size stay in the bundle; every manifest Airlock pushes (at most 4 MiB) is staged. */
export const LEAVE_IN_BUNDLE_MIN_BYTES = MANIFEST_MAX_BYTES;

const BLOB_PATH = /^oci\/blobs\/sha256\/([0-9a-f]{64})$/u;

/** Where a verified blob's bytes are in the bundle file. */
export interface BundleBlobLocation {
  /** Archive offset of its first byte. */
  offset: number;
  size: number;
}

/** The verified blobs left in the bundle file, by digest. */
export interface BundleBlobs {
  bundlePath: string;
  locate(digest: string): BundleBlobLocation | undefined;
}

function alreadyStaged(path: string): Error {
  // The same refusal the staging folder's exclusive create gives (verify reports it as a duplicate).
  return Object.assign(new Error(`EEXIST: ${path} is staged already`), { code: 'EEXIST' });
}

export class BundleBlobSink implements PayloadSink, BundleBlobs {
  /** The verify pass may hash these on both cores (verify/parallel/parallel-payload.ts): their bytes are written nowhere. */
  readonly bytelessFromBytes = LEAVE_IN_BUNDLE_MIN_BYTES + 1;
  private readonly verified = new Map<string, BundleBlobLocation>();
  private readonly opened = new Set<string>();

  constructor(
    /** Where everything else is staged. */
    private readonly staging: PayloadSink,
    readonly bundlePath: string,
  ) {}

  async openFile(payloadPath: string, size: number, archiveOffset?: number): Promise<PayloadFileWriter> {
    const hex = BLOB_PATH.exec(payloadPath)?.[1];
    if (hex === undefined || archiveOffset === undefined || size <= LEAVE_IN_BUNDLE_MIN_BYTES) return this.staging.openFile(payloadPath, size, archiveOffset);
    if (this.opened.has(hex)) throw alreadyStaged(payloadPath);
    this.opened.add(hex);
    return {
      takesBytes: false,
      write: () => Promise.resolve(),
      // Only a blob whose bytes matched the signed manifest is ever located (and so pushed).
      close: (verified) => {
        if (verified) this.verified.set(`sha256:${hex}`, { offset: archiveOffset, size });
        return Promise.resolve();
      },
    };
  }

  locate(digest: string): BundleBlobLocation | undefined {
    return this.verified.get(digest);
  }
}
