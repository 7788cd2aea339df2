import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, filesDigest } from '../../../../electron/core/audit/audit-event.js';

/** The digest as the format defines it: one canonical JSON line per row, hashed in order. */
function definedDigest(rows: Array<{ path: string; size: number; sha256: string }>): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${canonicalJson([row.path, row.size, row.sha256])}\n`);
  return hash.digest('hex');
}

describe('filesDigest', () => {
  it('is the defined digest, for awkward names and for more rows than one hashed chunk holds', () => {
    const awkward = [
      'data/"quoted"',
      'data/back\\slash',
      'data/new\nline',
      'data/tab\there',
      'data/\u2028sep',
      'data/ünïcødé/日本',
      'data/\u0000nul',
      'data/emoji 😀',
    ];
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      path: awkward[i % awkward.length] + String(i),
      size: i * 4097,
      sha256: createHash('sha256').update(String(i)).digest('hex'),
    }));
    expect(filesDigest(rows)).toBe(definedDigest(rows));
    expect(filesDigest(rows.slice(0, 1))).toBe(definedDigest(rows.slice(0, 1)));
    expect(filesDigest(rows.slice(0, 2))).not.toBe(filesDigest([rows[1] as (typeof rows)[0], rows[0] as (typeof rows)[0]]));
  });

  it('is null for an event without files', () => {
    expect(filesDigest([])).toBeNull();
  });
});
