/**
 * Hazard: the OCI layout of a staged two-person export is changed between prepare and finish (a
 * second operator's approval must cover what is written, byte for byte). Every variant ends in
 * STAGED_INVALID and no bundle: a blob grown, shortened, deleted, swapped for a symbolic link, or
 * given other bytes behind the same size and modification time (large layer and small config);
 * the descriptor file or index.json rewritten behind the same size and time. staged.json cannot
 * point a layout file elsewhere, and a file slipped into the staged layout does not travel.
 */
import { appendFile, lstat, readdir, readFile, rm, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../helpers/cli-runner.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../helpers/oci-test-image.js';
import { createStation, type TestStation } from '../helpers/station.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { imagesFile, sha256sumPasses, unpack } from '../integration/images/images-helpers.js';

const tempDir = useTempDirs();
let operator: TestStation;
let reviewer: TestStation;
let built: BuiltLayout;
let counter = 0;

const SMALL_FILE_BYTES = 256 * 1024;

interface Staged {
  stagedDir: string;
  name: string;
}

async function prepareAndApprove(): Promise<Staged> {
  counter += 1;
  const prepared = await operator.run([
    'export',
    '--prepare',
    '--name',
    `tamper-${counter}`,
    '--passphrase-file',
    operator.passFile,
    '--json',
    '--image',
    `oci:${built.dir}:app-1.0`,
  ]);
  expect(prepared.code, describeResult(prepared)).toBe(0);
  const staged = parseJson<{ staged: Staged }>(prepared).staged;
  const approved = await approve(staged.stagedDir);
  expect(approved.code, describeResult(approved)).toBe(0);
  return staged;
}

function approve(stagedDir: string) {
  return operator.run([
    'approve',
    stagedDir,
    '--key',
    join(reviewer.home, 'keys', 'station-key.private.asc'),
    '--passphrase-file',
    reviewer.passFile,
    '--yes',
    '--json',
  ]);
}

/** The staged layout's blobs with their sizes, largest first. */
async function blobs(stagedDir: string): Promise<Array<{ path: string; size: number }>> {
  const dir = join(stagedDir, 'oci', 'blobs', 'sha256');
  const found = await Promise.all((await readdir(dir)).map(async (name) => ({ path: join(dir, name), size: (await lstat(join(dir, name))).size })));
  return found.sort((a, b) => b.size - a.size);
}

/** Rewrite a file's bytes, keeping its size and modification time (what a cheap check cannot see). */
async function rewriteKeepingTime(path: string, change: (bytes: Buffer) => Buffer): Promise<void> {
  const before = await lstat(path);
  const bytes = change(await readFile(path));
  expect(bytes.length).toBe(before.size);
  await writeFile(path, bytes);
  await utimes(path, before.atime, before.mtime);
}

function flipLastByte(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
  return copy;
}

/** Swap two letters of a JSON document's text without changing its length or validity. */
function swapLetters(from: string, to: string): (bytes: Buffer) => Buffer {
  return (bytes) => {
    const text = bytes.toString('utf8');
    expect(text).toContain(from);
    return Buffer.from(text.replace(from, to), 'utf8');
  };
}

async function finishRefused(staged: Staged): Promise<void> {
  const out = await tempDir('airlock-staged-tamper-out-');
  const finished = await operator.run(['export', '--finish', staged.stagedDir, '--out', out, '--passphrase-file', operator.passFile, '--json']);
  expect(finished.code, describeResult(finished)).toBe(3);
  expect(parseJson<{ error: { code: string } }>(finished).error.code).toBe('STAGED_INVALID');
  // No bundle, no temp file; the staged folder stays for the operator to discard.
  expect(await readdir(out)).toEqual([]);
  expect((await lstat(staged.stagedDir)).isDirectory()).toBe(true);
}

beforeAll(async () => {
  operator = await createStation(await tempDir('airlock-staged-tamper-op-'), 'Operator Olga');
  reviewer = await createStation(await tempDir('airlock-staged-tamper-rev-'), 'Reviewer Rafael');
  // Layers above the small-file size: finish streams them (another re-hash path than the small config).
  built = await buildTestLayout(join(await tempDir('airlock-staged-tamper-src-'), 'layout'), defaultTestImages(SMALL_FILE_BYTES + 4096));
}, 120_000);

describe('a staged image layout changed between prepare and finish', () => {
  it.each([
    ['a blob grows by a byte', async (s: Staged) => appendFile((await blobs(s.stagedDir))[0]!.path, 'x')],
    ['a blob is shortened', async (s: Staged) => truncate((await blobs(s.stagedDir))[0]!.path, 10)],
    ['a blob is deleted', async (s: Staged) => rm((await blobs(s.stagedDir))[0]!.path)],
    [
      'a blob becomes a symbolic link to a file with the same bytes',
      async (s: Staged) => {
        const blob = (await blobs(s.stagedDir))[0]!.path;
        const copy = join(await tempDir('airlock-staged-tamper-link-'), 'same');
        await writeFile(copy, await readFile(blob));
        await rm(blob);
        await symlink(copy, blob);
      },
    ],
    [
      'the descriptor file names another repository (same size and time)',
      (s: Staged) => rewriteKeepingTime(join(s.stagedDir, 'oci', 'airlock-images.json'), swapLetters('"layout"', '"lajout"')),
    ],
    [
      'index.json names another tag (same size and time)',
      (s: Staged) => rewriteKeepingTime(join(s.stagedDir, 'oci', 'index.json'), swapLetters('app-1.0', 'app-1.1')),
    ],
  ])('%s: approve and finish refuse it (STAGED_INVALID), list-staged calls it invalid', async (_what, tamper) => {
    const staged = await prepareAndApprove();
    await tamper(staged);
    const again = await approve(staged.stagedDir);
    expect(again.code, describeResult(again)).toBe(3);
    expect(parseJson<{ error: { code: string } }>(again).error.code).toBe('STAGED_INVALID');
    const listed = parseJson<{ staged: Array<{ name: string; state: string }> }>(await operator.run(['export', '--list-staged', '--json']));
    expect(listed.staged.find((e) => e.name === staged.name)?.state).toBe('invalid');
    await finishRefused(staged);
  });

  it.each([
    ['the largest layer', (list: Array<{ path: string; size: number }>) => list[0]!],
    ['the smallest blob (read whole, not streamed)', (list: Array<{ path: string; size: number }>) => list.at(-1)!],
  ])('%s gets other bytes behind the same size and time: finish re-hashes it and refuses (STAGED_INVALID)', async (_what, pick) => {
    const staged = await prepareAndApprove();
    const blob = pick(await blobs(staged.stagedDir));
    await rewriteKeepingTime(blob.path, flipLastByte);
    await finishRefused(staged);
  });

  it('staged.json cannot point a layout file elsewhere, and a file slipped into the layout does not travel', async () => {
    const staged = await prepareAndApprove();
    const stagedJson = join(staged.stagedDir, 'staged.json');
    const decoy = join(await tempDir('airlock-staged-tamper-decoy-'), 'decoy');
    await writeFile(decoy, 'not the signed bytes');
    const doc = JSON.parse(await readFile(stagedJson, 'utf8')) as { files: Array<{ bagPath: string; absPath: string }> };
    for (const file of doc.files) if (file.bagPath.startsWith('data/oci/blobs/')) file.absPath = decoy;
    await writeFile(stagedJson, JSON.stringify(doc));
    await writeFile(join(staged.stagedDir, 'oci', 'blobs', 'sha256', 'f'.repeat(64)), 'slipped in');

    const out = await tempDir('airlock-staged-tamper-out-');
    const finished = await operator.run(['export', '--finish', staged.stagedDir, '--out', out, '--passphrase-file', operator.passFile, '--json']);
    expect(finished.code, describeResult(finished)).toBe(0);
    const bundle = join(out, `${staged.name}.airlock.tar`);
    expect((await operator.verify(bundle)).code).toBe(0);
    const bag = unpack(bundle, await tempDir('airlock-staged-tamper-x-'), staged.name);
    sha256sumPasses(bag);
    expect(await readdir(join(bag, 'data', 'oci', 'blobs', 'sha256'))).not.toContain('f'.repeat(64));
    expect((await imagesFile(bag)).images.map((i) => i.digest)).toEqual([built.images.find((i) => i.refName === 'app-1.0')!.descriptor.digest]);
  });
});
