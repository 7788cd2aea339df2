/**
 * The lanes' worker warmed at a command's start (electron/core/verify/parallel/warm-lane-worker.ts):
 * only for a plain file of the lanes' size with a payload file in its first headers; the next lanes
 * take it and hash on it, with the report of the sequential pass; a verification that does not use
 * it (no large file for the lanes, the sequential pass) ends it; a warm worker that died is not handed out.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBundle } from '../../../../../electron/core/verify/check-bundle.js';
import {
  dropWarmLaneWorker,
  STREAM_LANE_ENV,
  streamLaneDecided,
  takeWarmLaneWorker,
  warmLaneWorker,
} from '../../../../../electron/core/verify/parallel/warm-lane-worker.js';
import { makeSigner, signedBag, tarOf, type TestSigner } from '../../../../helpers/hostile-tar.js';
import { reportOf } from '../../../../helpers/verify-both-ways.js';

let dir: string;
let signer: TestSigner;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-warm-lane-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  dropWarmLaneWorker();
  delete process.env[STREAM_LANE_ENV];
});

async function bundleOf(sizes: number[]): Promise<string> {
  const bag = await signedBag(
    signer,
    sizes.map((size, i) => ({ path: `data/f${i}.bin`, content: randomBytes(size) })),
  );
  n += 1;
  const path = join(dir, `b${n}.airlock.tar`);
  await writeFile(path, tarOf([...bag.tagEntries, ...bag.payloadEntries]));
  return path;
}

/** Whether the thread posted a lane's reply (not only that it is up) before it exited. */
function watch(thread: Worker): { posted: () => boolean; exited: Promise<number> } {
  let posted = false;
  thread.on('message', (message: { op?: string }) => {
    if (message.op !== 'stream-ready') posted = true;
  });
  const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
  return { posted: () => posted, exited };
}

const LANES = { minBundleBytes: 1, claimMinBytes: 64 << 10 };

describe('a warm lane worker', () => {
  it('is started only for a plain file of at least the given size with a payload file in its first headers', async () => {
    const path = await bundleOf([1000]);
    expect(warmLaneWorker(path, 1 << 30, true)).toBeNull();
    expect(warmLaneWorker(join(dir, 'missing.tar'), 1, true)).toBeNull();
    expect(warmLaneWorker(dir, 1, true)).toBeNull();
    expect(warmLaneWorker(await bundleOf([]), 1, true)).toBeNull();
    expect(takeWarmLaneWorker()).toBeNull();
    // Past a manifest larger than one read of the headers (its data skipped), small files first: only for the stream lane.
    const many = await bundleOf([...Array.from({ length: 2000 }, () => 10), 300 << 10]);
    expect(warmLaneWorker(many, 1, false)).toBeNull();
    const thread = warmLaneWorker(many, 1, true);
    expect(thread).not.toBeNull();
    await thread?.terminate();
    // A first file the lanes claim: warmed either way.
    const large = await bundleOf([1 << 20]);
    const forLanes = warmLaneWorker(large, 1, false);
    expect(forLanes).not.toBeNull();
    await forLanes?.terminate();
  });

  it('is taken by the next lanes, which hash on it, with the sequential report', async () => {
    const path = await bundleOf([300 << 10, 5000, 200 << 10, 300 << 10]);
    const thread = warmLaneWorker(path, 1, true);
    if (thread === null) throw new Error('no warm worker');
    const seen = watch(thread);
    const now = new Date();
    const parallel = await checkBundle({ bundlePath: path, trusted: [signer.trusted], payloadLanes: LANES, now });
    const sequential = await checkBundle({ bundlePath: path, trusted: [signer.trusted], payloadLanes: 'off', now });
    await seen.exited;
    expect(seen.posted()).toBe(true);
    expect(parallel.ok).toBe(true);
    expect(reportOf(parallel)).toEqual(reportOf(sequential));
    expect(takeWarmLaneWorker()).toBeNull();
  });

  it('is ended unused when the bundle has no file for the lanes', async () => {
    // Warmed for a first file of 1000 bytes, but the lanes claim none under 64 KiB (and lanes' sizes given: no stream lane).
    const path = await bundleOf([1000, 2000, 3000]);
    const thread = warmLaneWorker(path, 1, true);
    if (thread === null) throw new Error('no warm worker');
    const seen = watch(thread);
    const report = await checkBundle({ bundlePath: path, trusted: [signer.trusted], payloadLanes: LANES });
    await seen.exited;
    expect(report.ok).toBe(true);
    expect(seen.posted()).toBe(false);
    expect(takeWarmLaneWorker()).toBeNull();
  });

  it('is ended unused by the sequential pass', async () => {
    const path = await bundleOf([300 << 10]);
    const thread = warmLaneWorker(path, 1, true);
    if (thread === null) throw new Error('no warm worker');
    const seen = watch(thread);
    const report = await checkBundle({ bundlePath: path, trusted: [signer.trusted], payloadLanes: 'off' });
    await seen.exited;
    expect(report.ok).toBe(true);
    expect(seen.posted()).toBe(false);
  });

  it('is not handed out once it has exited', async () => {
    const path = await bundleOf([1000]);
    const thread = warmLaneWorker(path, 1, true);
    if (thread === null) throw new Error('no warm worker');
    await thread.terminate();
    expect(takeWarmLaneWorker()).toBeNull();
    // The lanes then start their own, as before this existed.
    const report = await checkBundle({ bundlePath: path, trusted: [signer.trusted], payloadLanes: { minBundleBytes: 1, claimMinBytes: 512 } });
    expect(report.ok).toBe(true);
  });

  it('keeps the stream lane decision taken at the warm-up for the verification of that bundle, once', async () => {
    const path = await bundleOf([1000, 2000]);
    // Declined at the command's start (no core free then): the verify that follows keeps that, whatever the switch says now.
    process.env[STREAM_LANE_ENV] = 'on';
    expect(warmLaneWorker(path, 1, false)).toBeNull();
    expect(streamLaneDecided(path)).toBe(false);
    // Taken once: a later verify of the same path decides again.
    expect(streamLaneDecided(path)).toBe(true);
    // Another bundle's verify, or one after a drop, decides for itself.
    expect(warmLaneWorker(path, 1, false)).toBeNull();
    expect(streamLaneDecided(join(dir, 'other.airlock.tar'))).toBe(true);
    expect(warmLaneWorker(path, 1, false)).toBeNull();
    dropWarmLaneWorker();
    expect(streamLaneDecided(path)).toBe(true);
    // Accepted at the start: a warm worker, and the verify runs the lane on it.
    process.env[STREAM_LANE_ENV] = 'off';
    const thread = warmLaneWorker(path, 1, true);
    expect(thread).not.toBeNull();
    expect(streamLaneDecided(path)).toBe(true);
    await thread?.terminate();
    // A first file the lanes claim: no stream lane decision is taken at the warm-up.
    const large = await bundleOf([1 << 20]);
    const forLanes = warmLaneWorker(large, 1, true);
    expect(forLanes).not.toBeNull();
    expect(streamLaneDecided(large)).toBe(false);
    await forLanes?.terminate();
  });

  it('has a start-up decision turned down by stalls since it was taken, and the warm worker ended', async () => {
    const path = await bundleOf([1000, 2000]);
    const mark = { totalUs: 0, atMs: 0 };
    const thread = warmLaneWorker(path, 1, true, mark);
    if (thread === null) throw new Error('no warm worker');
    const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
    const asked: unknown[] = [];
    expect(
      streamLaneDecided(path, (given) => {
        asked.push(given);
        return false;
      }),
    ).toBe(false);
    expect(asked).toEqual([mark]);
    await exited;
    expect(takeWarmLaneWorker()).toBeNull();
    // Confirmed: the lane runs on the warm worker.
    const again = warmLaneWorker(path, 1, true, mark);
    expect(again).not.toBeNull();
    expect(streamLaneDecided(path, () => true)).toBe(true);
    expect(takeWarmLaneWorker()).toBe(again);
    await again?.terminate();
  });
});
