import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryDigestTable } from '../../../../electron/core/bundle/digest-table.js';
import { HashedPayload } from '../../../../electron/core/export/hashed-payload.js';
import type { SourceFile } from '../../../../electron/core/export/source-scan.js';

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function randomFiles(count: number): { files: SourceFile[]; digests: string[] } {
  const files: SourceFile[] = [];
  const digests: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const mtimeMs = 1_700_000_000_000 + Math.random() * 1e9;
    files.push({
      absPath: `/src/f${i}`,
      bagPath: `data/f${i}-${randomBytes(3).toString('hex')}`,
      size: Math.floor(Math.random() * 1e6),
      mtime: new Date(Math.round(mtimeMs)),
      mtimeMs,
    });
    digests.push(sha(randomBytes(4)));
  }
  return { files, digests };
}

describe('hashed payload', () => {
  it('lists the same rows as copying each file with its digest, for the manifest, the audit log and HashedSource callers, read twice', () => {
    for (const count of [0, 1, 257]) {
      const { files, digests } = randomFiles(count);
      const table = new MemoryDigestTable(count);
      // Set out of order, as two lanes finish.
      for (let i = count - 1; i >= 0; i -= 1) table.set(i, digests[i] as string);
      const payload = new HashedPayload(files, table);
      const copies = files.map((file, i) => ({ ...file, sha256: digests[i] as string }));
      expect(payload.length).toBe(count);
      const tagged = payload.tagged();
      for (let pass = 0; pass < 2; pass += 1) {
        expect(tagged.length).toBe(count);
        expect([...tagged]).toEqual(copies.map((f) => ({ bagPath: f.bagPath, size: f.size, sha256: f.sha256 })));
      }
      const rows = payload.auditRows();
      for (let pass = 0; pass < 2; pass += 1) {
        expect(rows.length).toBe(count);
        expect([...rows]).toEqual(copies.map((f) => ({ path: f.bagPath, size: f.size, sha256: f.sha256 })));
      }
      expect(payload.hashedSources()).toEqual(copies);
    }
  });

  it('refuses digests for another number of files, and a file never hashed', () => {
    const { files, digests } = randomFiles(3);
    expect(() => new HashedPayload(files, new MemoryDigestTable(2))).toThrow(RangeError);
    const table = new MemoryDigestTable(3);
    table.set(0, digests[0] as string);
    table.set(2, digests[2] as string);
    expect(() => [...new HashedPayload(files, table).auditRows()]).toThrow(/no digest for file #1/);
  });
});
