/**
 * Per-file results of the verify pipeline: each outcome is reported for the path it concerns
 * (and only that path), with its problem code and size, and the listing stays within its caps
 * however many files the bundle holds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileResult } from '../../../../shared/results.js';
import { DEFAULT_LIMITS } from '../../../../electron/core/policy/limits.js';
import { STRICT_PORTABILITY } from '../../../../electron/core/bundle/path-rules.js';
import { checkBundle, type CheckBundleOptions } from '../../../../electron/core/verify/check-bundle.js';
import { FILE_RESULT_CAP, FileTally } from '../../../../electron/core/verify/file-results.js';
import { makeSigner, signedBag, tarOf, type RawEntry, type TestSigner } from '../../../helpers/hostile-tar.js';

let dir: string;
let signer: TestSigner;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-file-results-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/dir/b.txt', content: 'bravo\n' },
  { path: 'data/c.txt', content: 'charlie\n' },
];

async function verify(entries: Array<RawEntry | Buffer>, options: Partial<CheckBundleOptions> = {}) {
  counter += 1;
  const path = join(dir, `b${counter}.airlock.tar`);
  await writeFile(path, tarOf(entries));
  return checkBundle({ bundlePath: path, trusted: [signer.trusted], ...options });
}

function row(rows: FileResult[], path: string): FileResult | undefined {
  return rows.find((r) => r.path === path);
}

describe('per-file results', () => {
  it('an intact bundle lists every file as ok with its size, and counts them', async () => {
    const bag = await signedBag(signer, files);
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries]);
    expect(result.ok).toBe(true);
    expect(result.files.listed).toEqual([
      { path: 'data/a.txt', size: 6, outcome: 'ok', code: null },
      { path: 'data/dir/b.txt', size: 6, outcome: 'ok', code: null },
      { path: 'data/c.txt', size: 8, outcome: 'ok', code: null },
    ]);
    expect(result.files.counts).toMatchObject({ ok: 3, 'checksum-mismatch': 0, missing: 0, unlisted: 0 });
    expect(result.files).toMatchObject({ complete: true, notChecked: 0, omitted: { ok: 0, failed: 0 }, cap: FILE_RESULT_CAP });
  });

  it('a tampered byte marks that file, and only that file, CHECKSUM_MISMATCH', async () => {
    const bag = await signedBag(signer, files);
    const payload = bag.payloadEntries.map((e) => (e.path === 'bag/data/dir/b.txt' ? { ...e, body: 'brAvo\n' } : e));
    const result = await verify([...bag.tagEntries, ...payload]);
    expect(result.ok).toBe(false);
    expect(row(result.files.listed, 'data/dir/b.txt')).toEqual({ path: 'data/dir/b.txt', size: 6, outcome: 'checksum-mismatch', code: 'CHECKSUM_MISMATCH' });
    expect(row(result.files.listed, 'data/a.txt')?.outcome).toBe('ok');
    expect(row(result.files.listed, 'data/c.txt')?.outcome).toBe('ok');
    expect(result.files.counts).toMatchObject({ ok: 2, 'checksum-mismatch': 1 });
  });

  it('a file the manifest lists but the archive lacks is missing, with no size', async () => {
    const bag = await signedBag(signer, files);
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries.filter((e) => e.path !== 'bag/data/a.txt')]);
    expect(row(result.files.listed, 'data/a.txt')).toEqual({ path: 'data/a.txt', size: null, outcome: 'missing', code: 'FILE_MISSING' });
    expect(result.files.counts).toMatchObject({ ok: 2, missing: 1 });
  });

  it('a payload file no manifest lists is unlisted, with its size', async () => {
    const bag = await signedBag(signer, files);
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries, { path: 'bag/data/added.exe', body: 'MZ-evil' }]);
    expect(row(result.files.listed, 'data/added.exe')).toEqual({ path: 'data/added.exe', size: 7, outcome: 'unlisted', code: 'FILE_UNLISTED' });
    expect(result.files.counts).toMatchObject({ ok: 3, unlisted: 1 });
  });

  it('an unsafe name (backslash traversal) is refused by name, under its own path', async () => {
    const bag = await signedBag(signer, files);
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries, { path: 'bag/data/..\\..\\evil.txt', body: 'x' }]);
    expect(row(result.files.listed, 'data/..\\..\\evil.txt')).toEqual({ path: 'data/..\\..\\evil.txt', size: 1, outcome: 'refused-name', code: 'UNSAFE_PATH' });
    expect(result.files.counts['refused-name']).toBe(1);
    expect(result.policy.findings.find((f) => f.check === 'file-names')).toMatchObject({ outcome: 'fail', code: 'UNSAFE_PATH', refusedBy: 'verify' });
  });

  it('a case twin is refused by name; a link is refused by type (and reading stops there: nothing after a link is read)', async () => {
    const bag = await signedBag(signer, files);
    const result = await verify([
      ...bag.tagEntries,
      ...bag.payloadEntries,
      { path: 'bag/data/A.txt', body: 'twin' },
      { path: 'bag/data/link', type: 'SymbolicLink', linkpath: '/etc/passwd' },
    ]);
    expect(row(result.files.listed, 'bag/data/link')).toMatchObject({ outcome: 'refused-type', code: 'UNSAFE_ENTRY_TYPE' });
    expect(row(result.files.listed, 'data/A.txt')).toMatchObject({ outcome: 'refused-name', code: 'DUPLICATE_ENTRY', size: 4 });
  });

  it('the policy summary names the code the refused files carry: DUPLICATE_ENTRY for a duplicate, UNSAFE_PATH once an unsafe path joins it', async () => {
    const bag = await signedBag(signer, files);
    const twin = await verify([...bag.tagEntries, ...bag.payloadEntries, { path: 'bag/data/A.txt', body: 'twin' }]);
    expect(row(twin.files.listed, 'data/A.txt')).toMatchObject({ outcome: 'refused-name', code: 'DUPLICATE_ENTRY' });
    expect(twin.problems.map((p) => p.code)).toContain('DUPLICATE_ENTRY');
    expect(twin.problems.map((p) => p.code)).not.toContain('UNSAFE_PATH');
    const names = twin.policy.findings.find((f) => f.check === 'file-names');
    expect(names).toMatchObject({ outcome: 'fail', code: 'DUPLICATE_ENTRY', refusedBy: 'verify' });
    expect(names?.detail).toMatch(/^1 entry has a duplicate path:/u);

    const both = await verify([
      ...bag.tagEntries,
      ...bag.payloadEntries,
      { path: 'bag/data/A.txt', body: 'twin' },
      { path: 'bag/data/..\\..\\evil.txt', body: 'x' },
    ]);
    const mixed = both.policy.findings.find((f) => f.check === 'file-names');
    expect(mixed).toMatchObject({ outcome: 'fail', code: 'UNSAFE_PATH' });
    expect(mixed?.detail).toMatch(/^1 entry has an unsafe path and 1 entry has a duplicate path:/u);
  });

  it('a file over the station limit is refused by limit', async () => {
    const bag = await signedBag(signer, files);
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries], { limits: { ...DEFAULT_LIMITS, maxFileBytes: 7 } });
    expect(row(result.files.listed, 'data/c.txt')).toEqual({ path: 'data/c.txt', size: 8, outcome: 'refused-limit', code: 'LIMIT_EXCEEDED' });
    expect(result.policy.findings.find((f) => f.check === 'limit-file-bytes')).toMatchObject({ outcome: 'fail', code: 'LIMIT_EXCEEDED' });
  });

  it('a name the station refuses: verify lists the file ok and reports the name; import refuses that path', async () => {
    const hostile = [...files, { path: 'data/invoice\u202Etxt.exe', content: 'MZ' }];
    const bag = await signedBag(signer, hostile);
    const entries = [...bag.tagEntries, ...bag.payloadEntries];

    const verified = await verify(entries, { reportNames: STRICT_PORTABILITY });
    expect(verified.ok).toBe(true);
    expect(row(verified.files.listed, 'data/invoice\u202Etxt.exe')?.outcome).toBe('ok');
    const names = verified.policy.findings.find((f) => f.check === 'file-names');
    expect(names).toMatchObject({ outcome: 'fail', code: 'UNSAFE_PATH', refusedBy: 'import' });
    expect(names?.detail).toContain('data/invoice\u202Etxt.exe');

    const imported = await verify(entries, { portability: STRICT_PORTABILITY, failFast: true });
    expect(imported.ok).toBe(false);
    expect(imported.files.listed).toEqual([{ path: 'data/invoice\u202Etxt.exe', size: null, outcome: 'refused-name', code: 'UNSAFE_PATH' }]);
    // Refused before any payload was read: the other three were never checked.
    expect(imported.files).toMatchObject({ complete: false, notChecked: 3 });
  });

  it("import writes nothing after the first problem but reads on: its per-file results are verify's", async () => {
    const bag = await signedBag(signer, files);
    const payload = bag.payloadEntries.map((e) => (e.path === 'bag/data/a.txt' ? { ...e, body: 'ALPHA\n' } : e));
    const opened: string[] = [];
    const sink = {
      openFile: async (path: string) => {
        opened.push(path);
        return { write: async () => undefined, close: async () => undefined };
      },
    };
    const imported = await verify([...bag.tagEntries, ...payload], { failFast: true, payloadSink: sink });
    const verified = await verify([...bag.tagEntries, ...payload]);
    expect(opened).toEqual(['a.txt']);
    expect(imported.problems).toEqual(verified.problems);
    expect(imported.files).toEqual(verified.files);
    expect(imported.files.listed).toContainEqual({ path: 'data/a.txt', size: 6, outcome: 'checksum-mismatch', code: 'CHECKSUM_MISMATCH' });
    expect(imported.files).toMatchObject({ complete: true, notChecked: 0 });
  });
});

describe('bounded listing', () => {
  it('keeps failed files up to their cap and ok files up to theirs, counting the rest', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ path: `data/f${String(i).padStart(2, '0')}.txt`, content: `file ${i}\n` }));
    const bag = await signedBag(signer, many);
    // Every fourth file tampered: 10 failed, 30 intact.
    const payload = bag.payloadEntries.map((e, i) => (i % 4 === 0 ? { ...e, body: `FILE ${i}\n` } : e));
    const result = await verify([...bag.tagEntries, ...payload], { fileResultCap: { ok: 5, failed: 3 } });
    const listed = result.files.listed;
    expect(listed.filter((r) => r.outcome === 'ok')).toHaveLength(5);
    expect(listed.filter((r) => r.outcome === 'checksum-mismatch').map((r) => r.path)).toEqual(['data/f00.txt', 'data/f04.txt', 'data/f08.txt']);
    expect(result.files.counts).toMatchObject({ ok: 30, 'checksum-mismatch': 10 });
    expect(result.files.omitted).toEqual({ ok: 25, failed: 7 });
    expect(result.files.cap).toEqual({ ok: 5, failed: 3 });
    // Every failure is still a problem; the cap bounds the listing only.
    expect(result.problems.filter((p) => p.code === 'CHECKSUM_MISMATCH')).toHaveLength(10);
  });

  it('problems about single entries are listed up to their cap, the rest counted in one problem per code', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ path: `data/g${String(i).padStart(2, '0')}.txt`, content: `file ${i}\n` }));
    const bag = await signedBag(signer, many);
    // Same sizes, different bytes: every file fails its checksum, nothing else changes.
    const payload = bag.payloadEntries.map((e) => ({
      ...e,
      body: Buffer.from(e.body ?? '')
        .toString()
        .toUpperCase(),
    }));
    const result = await verify([...bag.tagEntries, ...payload, { path: 'bag/data/extra.bin', body: 'x' }], { problemCap: 4 });
    expect(result.ok).toBe(false);
    const listed = result.problems.filter((p) => p.path !== undefined);
    expect(listed.map((p) => p.path)).toEqual(['data/g00.txt', 'data/g01.txt', 'data/g02.txt', 'data/g03.txt']);
    const summaries = result.problems.filter((p) => p.path === undefined);
    expect(summaries.map((p) => p.code)).toEqual(['CHECKSUM_MISMATCH', 'FILE_UNLISTED']);
    expect(summaries[0]?.message).toContain('8 more entries have this problem');
    expect(summaries[1]?.message).toContain('1 more entry has this problem');
    // The per-file results still count every one of them.
    expect(result.files.counts).toMatchObject({ 'checksum-mismatch': 12, unlisted: 1 });
  });

  it('a tally of a million files lists no more than its caps', () => {
    const tally = new FileTally();
    for (let i = 0; i < 1_000_000; i += 1) tally.record(`data/${i}`, 1, i % 100 === 0 ? 'checksum-mismatch' : 'ok', i % 100 === 0 ? 'CHECKSUM_MISMATCH' : null);
    const result = tally.result({ notChecked: 0, complete: true });
    expect(result.listed).toHaveLength(FILE_RESULT_CAP.ok + FILE_RESULT_CAP.failed);
    expect(result.counts).toMatchObject({ ok: 990_000, 'checksum-mismatch': 10_000 });
    expect(result.omitted).toEqual({ ok: 990_000 - FILE_RESULT_CAP.ok, failed: 10_000 - FILE_RESULT_CAP.failed });
  });
});
