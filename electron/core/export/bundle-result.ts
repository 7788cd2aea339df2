import type { AuditFileRows } from '../audit/audit-event.js';
import type { BagTags } from '../bundle/bag-tag-files.js';
import { sha256Hex } from '../crypto/sha256.js';
import type { PreparedBundle, WriteBundleResult } from './write-bundle.js';

/** What a written bundle's result is made of. */
export interface SignedBundle {
  name: string;
  sequence: number;
  tags: Pick<BagTags, 'uuid' | 'payloadBytes' | 'tagmanifest'>;
  warnings: Array<{ path: string; message: string }>;
  files: number;
  rows: AuditFileRows;
}

export function preparedResult(prepared: PreparedBundle): SignedBundle {
  const { payload } = prepared;
  return {
    ...prepared,
    files: payload.length,
    rows: {
      length: payload.length,
      *[Symbol.iterator]() {
        for (const f of payload) yield { path: f.bagPath, size: f.size, sha256: f.sha256 };
      },
    },
  };
}

export function bundleResult(
  signed: SignedBundle,
  signers: Array<{ fingerprint: string; userIds: string[] }>,
  bundlePath: string,
  bundleBytes: number,
): WriteBundleResult {
  const { tags } = signed;
  return {
    bundlePath,
    name: signed.name,
    uuid: tags.uuid,
    sequence: signed.sequence,
    files: signed.files,
    bytes: tags.payloadBytes,
    bundleBytes,
    tagmanifestSha256: sha256Hex(tags.tagmanifest),
    signers,
    warnings: signed.warnings,
    payloadFiles: signed.rows,
  };
}
