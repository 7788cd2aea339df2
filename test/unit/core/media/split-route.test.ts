/**
 * The split-bundle route of verify and import: which paths take it, the report for a part set
 * rejected before reassembly, and how a verify or import run over reassembled parts is turned
 * into that report (a part changed mid-stream, a bundle that is not the one the index describes).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexFileName, partFileName } from '../../../../electron/core/media/parts/part-names.js';
import { PartStreamError, type PartSetCheck } from '../../../../electron/core/media/parts/part-set.js';
import { partsSummary, routeSplit, splitRejection, throughParts, type SplitRoute } from '../../../../electron/core/media/parts/split-route.js';
import type { VolumeIndex } from '../../../../electron/core/media/parts/volume-index.js';
import type { VerifyResult } from '../../../../shared/results.js';

const TAGMANIFEST = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

function index(): VolumeIndex {
  return {
    airlockIndex: 1,
    name: 'q3',
    bundle: { file: 'q3.airlock.tar', size: 3000, sha256: null, tagmanifestSha256: TAGMANIFEST, uuid: 'uuid-1' },
    volume: 1,
    volumes: 2,
    complete: true,
    media: [],
    parts: [
      { file: partFileName('q3', 1, 2), number: 1, size: 1500, sha256: null, volume: 1 },
      { file: partFileName('q3', 2, 2), number: 2, size: 1500, sha256: null, volume: 2 },
    ],
    created: '2026-01-01T00:00:00Z',
  };
}

function check(overrides: Partial<PartSetCheck> = {}): PartSetCheck {
  const idx = index();
  return {
    name: 'q3',
    index: idx,
    indexFiles: ['/media/a/q3.airlock-index.json'],
    indexSigners: [],
    parts: idx.parts.map((p) => ({ ...p, path: `/media/v${p.volume}/${p.file}` })),
    problems: [],
    ...overrides,
  };
}

/** A verify report as the pipeline gives it, for a bundle whose tag manifest hashes to `tagmanifestSha256`. */
function verified(tagmanifestSha256: string | null, ok = true): VerifyResult {
  const base = splitRejection('/media/v1/q3.airlock.tar.part-1-of-2', check());
  return { ...base, ok, problems: [], parts: undefined, bundle: { ...base.bundle, tagmanifestSha256 } };
}

const fromBase = (base: VerifyResult): VerifyResult => base;
const complete: SplitRoute = {
  check: check(),
  source: {
    size: 3000,
    open: () => {
      throw new Error('not read in these tests');
    },
  },
};

describe('routeSplit', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'airlock-split-route-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['q3.airlock.tar', 'notes.txt', 'q3.airlock.tar.part-1-of-2.tmp'])('leaves %s to the ordinary bundle route (null)', async (file) => {
    expect(await routeSplit(join(dir, file), { trusted: [], searchDirs: [] })).toBeNull();
  });

  it.each([partFileName('q3', 1, 2), indexFileName('q3')])('takes %s, and with no trusted index found gives no source to read, only problems', async (file) => {
    await writeFile(join(dir, file), 'not what it claims to be');
    const route = await routeSplit(join(dir, file), { trusted: [], searchDirs: [] });
    expect(route).not.toBeNull();
    expect(route?.source).toBeNull();
    expect(route?.check.problems.length).toBeGreaterThan(0);
    expect(route?.check.index).toBeNull();
  });
});

describe('splitRejection and partsSummary', () => {
  it('reports nothing of the bag as read: no files, no signers, every policy check unreached, the parts as found', () => {
    const missing = check({
      parts: check().parts.map((p, i) => (i === 1 ? { ...p, path: null } : p)),
      problems: [{ code: 'PART_MISSING', message: 'part 2 is missing' }],
    });
    const report = splitRejection('/media/v1/q3.airlock.tar.part-1-of-2', missing, [{ code: 'PART_MISMATCH', message: 'extra' }]);
    expect(report.ok).toBe(false);
    expect(report.bundle).toMatchObject({
      name: 'q3',
      path: '/media/v1/q3.airlock.tar.part-1-of-2',
      uuid: 'uuid-1',
      files: 0,
      bytes: 0,
      tagmanifestSha256: null,
    });
    expect(report.signers).toEqual([]);
    expect(report.problems.map((p) => p.code)).toEqual(['PART_MISSING', 'PART_MISMATCH']);
    expect(report.files).toMatchObject({ listed: [], complete: false, notChecked: 0 });
    expect(report.policy.findings.every((f) => f.outcome !== 'pass')).toBe(true);
    expect(report.parts).toEqual({
      count: 2,
      volumes: 2,
      indexFiles: ['/media/a/q3.airlock-index.json'],
      files: [
        { file: partFileName('q3', 1, 2), volume: 1, path: `/media/v1/${partFileName('q3', 1, 2)}` },
        { file: partFileName('q3', 2, 2), volume: 2, path: null },
      ],
    });
  });

  it('without a trusted index: the name from the part set, no uuid, no parts counted', () => {
    const untrusted = check({ index: null, indexFiles: [], parts: [], problems: [{ code: 'INDEX_INVALID', message: 'unsigned' }] });
    const report = splitRejection('/x/q3.airlock-index.json', untrusted);
    expect(report.bundle).toMatchObject({ name: 'q3', uuid: null });
    expect(partsSummary(untrusted)).toEqual({ count: 0, volumes: 0, indexFiles: [], files: [] });
  });
});

describe('throughParts', () => {
  it("an ordinary bundle (no route): the run's own result, untouched", async () => {
    const result = verified(OTHER);
    expect(await throughParts(null, '/b.airlock.tar', () => Promise.resolve(result), fromBase)).toBe(result);
    expect(result.parts).toBeUndefined();
  });

  it('a part set that failed its checks is rejected without running verify', async () => {
    let ran = false;
    const rejected: SplitRoute = { check: check({ problems: [{ code: 'PART_MISSING', message: 'gone' }] }), source: null };
    const result = await throughParts(
      rejected,
      '/p',
      () => {
        ran = true;
        return Promise.resolve(verified(TAGMANIFEST));
      },
      fromBase,
    );
    expect(ran).toBe(false);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual(['PART_MISSING']);
  });

  it('a part that changes while it streams turns into a rejection naming it, however deeply the error is wrapped', async () => {
    const changed = new PartStreamError({ code: 'PART_MISMATCH', message: 'part 2 changed', path: '/media/v2/p2' });
    const wrapped = new Error('pipeline failed', { cause: new Error('read failed', { cause: changed }) });
    const result = await throughParts(complete, '/p', () => Promise.reject(wrapped), fromBase);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([['PART_MISMATCH', '/media/v2/p2']]);
    expect(result.parts?.count).toBe(2);
  });

  it('any other failure is not dressed up as a rejection', async () => {
    const failure = new Error('EIO');
    await expect(throughParts(complete, '/p', () => Promise.reject(failure), fromBase)).rejects.toBe(failure);
    // Without a route even a part error is the caller's to handle.
    await expect(throughParts(null, '/p', () => Promise.reject(new PartStreamError({ code: 'PART_MISMATCH', message: 'x' })), fromBase)).rejects.toBeInstanceOf(
      PartStreamError,
    );
  });

  it('a verified bundle that is the one the index describes stays verified, with its parts listed', async () => {
    const result = await throughParts(complete, '/p', () => Promise.resolve(verified(TAGMANIFEST)), fromBase);
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.parts?.files).toHaveLength(2);
  });

  it("a verified bundle whose tag manifest is not the index's fails with INDEX_INVALID (the parts belong to another bundle)", async () => {
    const result = await throughParts(complete, '/p', () => Promise.resolve(verified(OTHER)), fromBase);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'INDEX_INVALID', path: '/media/a/q3.airlock-index.json' })]);
    expect(result.problems[0]?.message).toContain(TAGMANIFEST);
  });

  it("the comparison can be left to the caller (import compares the whole bundle's SHA-256 before committing)", async () => {
    const result = await throughParts(complete, '/p', () => Promise.resolve(verified(OTHER)), fromBase, { compareTagmanifest: false });
    expect(result.ok).toBe(true);
  });

  it('a bundle that failed verification is not compared again', async () => {
    const failed = verified(OTHER, false);
    const result = await throughParts(complete, '/p', () => Promise.resolve(failed), fromBase);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(false);
  });
});
