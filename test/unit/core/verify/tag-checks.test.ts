/**
 * Tag-file reading (RFC 8493): UTF-8 without a byte-order mark, and a payload manifest read a
 * slice at a time that stops at the station's file limit.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../../electron/core/policy/limits.js';
import { decodeTagFile, readPayloadManifest } from '../../../../electron/core/verify/tag-checks.js';

const H = 'ab'.repeat(32);
const lines = (count: number, from = 0): string => Array.from({ length: count }, (_, i) => `${H}  data/f${from + i}.txt\n`).join('');

describe('decodeTagFile', () => {
  it('refuses a UTF-8 byte-order mark, which the decoder would otherwise drop silently', () => {
    const result = decodeTagFile('bagit.txt', Buffer.from('\uFEFFBagIt-Version: 1.0\n'));
    expect(result).toMatchObject({ problem: { code: 'MANIFEST_INVALID', path: 'bagit.txt' } });
    expect('problem' in result && result.problem.message).toContain('byte-order mark');
  });
  it.each([
    ['UTF-16LE', Buffer.from('\uFEFFBagIt', 'utf16le')],
    ['UTF-16BE', Buffer.from('\uFEFFBagIt', 'utf16le').swap16()],
    ['UTF-32LE', Buffer.from([0xff, 0xfe, 0, 0, 0x42, 0, 0, 0])],
    ['Latin-1', Buffer.from('Jos\xe9', 'latin1')],
  ])('refuses %s as not UTF-8', (_label, bytes) => {
    expect(decodeTagFile('bag-info.txt', bytes)).toMatchObject({ problem: { code: 'MANIFEST_INVALID' } });
  });
  it('keeps a byte-order mark met later in the text (so the exact-bytes checks see it)', () => {
    expect(decodeTagFile('x', Buffer.from('a\uFEFFb'))).toEqual({ text: 'a\uFEFFb' });
  });
});

describe('readPayloadManifest', () => {
  it('reads every line of a manifest at the limit, across slices', () => {
    const result = readPayloadManifest(Buffer.from(lines(20_000)), { ...DEFAULT_LIMITS, maxEntries: 20_000 });
    expect('entries' in result && result.entries.size).toBe(20_000);
  });
  it('stops at the limit: what follows the limit is never parsed (a malformed line there does not change the answer)', () => {
    const bytes = Buffer.from(`${lines(5)}not a manifest line\n`);
    expect(readPayloadManifest(bytes, { ...DEFAULT_LIMITS, maxEntries: 5 })).toMatchObject({ problem: { code: 'LIMIT_EXCEEDED', path: 'manifest-sha256.txt' } });
    expect(readPayloadManifest(bytes, { ...DEFAULT_LIMITS, maxEntries: 10 })).toMatchObject({ problem: { code: 'MANIFEST_INVALID' } });
  });
  it('refuses a byte-order mark and names the line that is malformed', () => {
    expect(readPayloadManifest(Buffer.from(`\uFEFF${lines(1)}`), DEFAULT_LIMITS)).toMatchObject({ problem: { code: 'MANIFEST_INVALID' } });
    const result = readPayloadManifest(Buffer.from(`${lines(3)}oops\n`), DEFAULT_LIMITS);
    expect('problem' in result && result.problem.message).toContain('line 4');
  });
});
