/** Parts as a transport layer: layout arithmetic, names, the signed volume index and its merging. */
import { describe, expect, it, beforeAll } from 'vitest';
import {
  FAT_MAX_PART_BYTES,
  foldsCase,
  FUSEFAT_MAX_PART_BYTES,
  isFat,
  maxFileBytes,
  maxPartBytes,
  maxPartBytesOnMount,
} from '../../../../../electron/core/media/output/fs-limits.js';
import { indexFileName, isAirlockTempName, parseIndexFileName, parsePartFileName, partFileName } from '../../../../../electron/core/media/parts/part-names.js';
import { INDEX_RESERVE_BYTES, MEDIA_MARGIN_BYTES, planLayout, type VolumeRoom } from '../../../../../electron/core/media/parts/part-plan.js';
import { mergeIndexes, parseIndex, serializeIndex, verifyIndexSignature, type VolumeIndex } from '../../../../../electron/core/media/parts/volume-index.js';
import { signDetached } from '../../../../../electron/core/crypto/detached-signature.js';
import { makeSigner, type TestSigner } from '../../../../helpers/hostile-tar.js';

const MiB = 1 << 20;
const room = (free: number, maxPart: number | null = null, block = 4096): VolumeRoom => ({ free, maxPart, block });

describe('file system limits', () => {
  it('caps parts below 4 GiB on FAT (any spelling of it), and not on exFAT, NTFS or ext4', () => {
    for (const fs of ['vfat', 'msdos', 'FAT32', 'fuse.fusefat', 'MS-DOS FAT32', null, 'something-new']) expect(maxPartBytes(fs)).toBe(FAT_MAX_PART_BYTES);
    for (const fs of ['exfat', 'exFAT', 'NTFS', 'ext4', 'apfs', 'fuseblk']) expect(maxFileBytes(fs)).toBeNull();
    expect(FAT_MAX_PART_BYTES).toBe(4294966784);
    expect(FAT_MAX_PART_BYTES % 512).toBe(0);
    expect(isFat('vfat') && !isFat('exfat')).toBe(true);
    expect(foldsCase('vfat') && foldsCase('exfat') && !foldsCase('ext4')).toBe(true);
    // fusefat refuses writes past 2 GiB (EPERM): parts stay under it on its mounts.
    expect(maxPartBytesOnMount('vfat', 'fuse.fusefat')).toBe(FUSEFAT_MAX_PART_BYTES);
    expect(maxPartBytesOnMount('vfat', 'vfat')).toBe(FAT_MAX_PART_BYTES);
    expect(maxPartBytesOnMount('ext4', 'ext4')).toBeNull();
  });
});

describe('planLayout', () => {
  it('writes one file when the bundle fits the medium and its file-size limit', () => {
    expect(planLayout(10 * MiB, [room(64 * MiB)], null)).toEqual({ kind: 'single', parts: [{ number: 1, size: 10 * MiB, volume: 1 }], volumes: 1 });
  });

  it('cuts parts at the part limit, every part a multiple of 512, the last at least 1536 bytes', () => {
    const layout = planLayout(3 * MiB + 1024, [room(64 * MiB)], null, MiB);
    expect(layout.kind).toBe('split');
    const sizes = layout.kind === 'split' ? layout.parts.map((p) => p.size) : [];
    expect(sizes).toEqual([MiB, MiB, MiB - 512, 1536]);
    expect(sizes.every((s) => s % 512 === 0)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3 * MiB + 1024);
  });

  it('fills each medium in turn when the bundle is larger than one', () => {
    const free = 16 * MiB;
    const layout = planLayout(20 * MiB, [room(free), room(free)], null);
    expect(layout.kind).toBe('split');
    if (layout.kind !== 'split') return;
    expect(layout.volumes).toBe(2);
    const first = layout.parts.filter((p) => p.volume === 1).reduce((n, p) => n + p.size, 0);
    expect(first).toBeLessThanOrEqual(free - MEDIA_MARGIN_BYTES - INDEX_RESERVE_BYTES);
    expect(first).toBeGreaterThan(free - MEDIA_MARGIN_BYTES - INDEX_RESERVE_BYTES - 8192);
  });

  it('says how many media are needed when the ones named are too small, and plans further media when they may be asked for', () => {
    const short = planLayout(40 * MiB, [room(16 * MiB)], null);
    expect(short).toMatchObject({ kind: 'too-small', volumesNeeded: 3 });
    const asked = planLayout(40 * MiB, [room(16 * MiB)], room(16 * MiB, FAT_MAX_PART_BYTES, 32768));
    expect(asked).toMatchObject({ kind: 'split', volumes: 3 });
  });

  it('refuses a first medium with no room for any part', () => {
    expect(planLayout(8 * MiB, [room(MiB)], room(64 * MiB))).toMatchObject({ kind: 'too-small' });
  });
});

describe('part and index names', () => {
  it('pads number and count to one width of at least 3 digits, so the names sort in order', () => {
    expect(partFileName('q3', 2, 3)).toBe('q3.airlock.tar.part-002-of-003');
    expect(partFileName('q3', 7, 1200)).toBe('q3.airlock.tar.part-0007-of-1200');
    expect(parsePartFileName('q3.airlock.tar.part-002-of-003')).toEqual({ name: 'q3', number: 2, count: 3 });
    expect(parsePartFileName('q3.airlock.tar.part-2-of-3')).toBeNull();
    expect(parsePartFileName('q3.airlock.tar.part-002-of-0003')).toBeNull();
    expect(parsePartFileName('q3.airlock.tar')).toBeNull();
    expect(indexFileName('q3')).toBe('q3.airlock-index.json');
    expect(parseIndexFileName('q3.airlock-index.json.asc')).toBe('q3');
    expect(isAirlockTempName('.q3.airlock.tar.part-001-of-003.0a1b2c3d4e5f.partial')).toBe(true);
    expect(isAirlockTempName('.q3.airlock-index.json.0a1b2c3d4e5f.partial')).toBe(true);
    expect(isAirlockTempName('.report.pdf.0a1b2c3d4e5f.partial')).toBe(false);
  });
});

function index(overrides: Partial<VolumeIndex> = {}): VolumeIndex {
  const h = (c: string): string => c.repeat(64);
  return {
    airlockIndex: 1,
    name: 'q3',
    bundle: { file: 'q3.airlock.tar', size: 2048 + 1536, sha256: h('e'), tagmanifestSha256: h('f'), uuid: '84264caa-75ea-46ca-82d4-8ee84665f1d0' },
    volume: 2,
    volumes: 2,
    complete: true,
    media: [
      { volume: 1, label: 'A', serial: null },
      { volume: 2, label: 'B', serial: 'S2' },
    ],
    parts: [
      { file: 'q3.airlock.tar.part-001-of-002', number: 1, size: 2048, sha256: h('a'), volume: 1 },
      { file: 'q3.airlock.tar.part-002-of-002', number: 2, size: 1536, sha256: h('b'), volume: 2 },
    ],
    created: '2026-11-28T02:09:50.951Z',
    ...overrides,
  };
}

describe('volume index', () => {
  let signer: TestSigner;
  beforeAll(async () => {
    signer = await makeSigner('Index');
  });

  it('round-trips through its exact bytes', () => {
    const bytes = serializeIndex(index());
    expect(parseIndex(bytes)).toEqual({ index: index() });
  });

  it('refuses inconsistent arithmetic and names', () => {
    const bad = (o: Partial<VolumeIndex>): string => {
      const r = parseIndex(serializeIndex(index(o)));
      return 'error' in r ? r.error : 'accepted';
    };
    expect(bad({ bundle: { ...index().bundle, size: 9999 } })).toMatch(/add up/);
    expect(bad({ parts: [index().parts[1] as VolumeIndex['parts'][number], index().parts[0] as VolumeIndex['parts'][number]] })).toMatch(/numbered/);
    expect(bad({ complete: false })).toMatch(/not marked complete/);
    expect(bad({ volume: 1 })).toMatch(/only the last volume/);
    expect(bad({ parts: index().parts.map((p, i) => (i === 1 ? { ...p, file: 'q3.airlock.tar.part-2-of-2' } : p)) })).toMatch(/named/);
    expect(bad({ parts: index().parts.map((p, i) => (i === 0 ? { ...p, size: 2000 } : p)), bundle: { ...index().bundle, size: 3536 } })).toMatch(/512-byte/);
    const unknown = parseIndex(Buffer.from(JSON.stringify({ ...index(), extra: 1 })));
    expect('error' in unknown).toBe(true);
  });

  it('merges the copies of several volumes: hashes from whichever knows them; another bundle is refused', () => {
    const first = index({
      volume: 1,
      complete: false,
      bundle: { ...index().bundle, sha256: null },
      parts: index().parts.map((p) => (p.volume === 2 ? { ...p, sha256: null } : p)),
    });
    expect('error' in parseIndex(serializeIndex(first))).toBe(false);
    const merged = mergeIndexes([first, index()]);
    expect(merged).toEqual({ index: { ...index(), media: index().media } });
    const other = index({ bundle: { ...index().bundle, tagmanifestSha256: 'd'.repeat(64) } });
    expect(mergeIndexes([first, other])).toMatchObject({ error: expect.stringMatching(/another bundle/) });
  });

  it('counts only a signature by a trusted key over the exact bytes; anything else is INDEX_INVALID', async () => {
    const bytes = serializeIndex(index());
    const armored = await signDetached(bytes, [signer.privateKey]);
    const trusted = [signer.trusted];
    expect((await verifyIndexSignature(bytes, armored, trusted, 'q3.airlock-index.json.asc')).signers.map((s) => s.fingerprint)).toEqual([
      signer.trusted.fingerprint,
    ]);
    const altered = Buffer.from(bytes.toString('utf8').replace('"volume": 2', '"volume": 1'));
    const refused = await verifyIndexSignature(altered, armored, trusted, 'q3.airlock-index.json.asc');
    expect(refused.problems.map((p) => p.code)).toEqual(['INDEX_INVALID']);
    expect((await verifyIndexSignature(bytes, armored, [], 'x.asc')).problems[0]?.message).toMatch(/SIGNER_UNTRUSTED/);
  });
});
