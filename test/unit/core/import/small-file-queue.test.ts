/**
 * Small staged files created on the other core (small-file-queue.ts): every byte lands, in
 * batches written by the worker or, for fewer files than one batch, on this thread; a failure in
 * either names its file and fails drain(); after stop() nothing more is created; memory is the
 * fixed slots, however many files pass.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SmallFileQueue } from '../../../../electron/core/import/small-file-queue.js';
import { SMALL_FILE_BYTES } from '../../../../electron/core/import/small-file.js';
import { TempDirs } from '../../../helpers/temp-dirs.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

/** Distinct content per file, sizes from empty to the largest small file, split into uneven chunks. */
function content(i: number): Buffer {
  const sizes = [0, 1, 4096, 70_000, SMALL_FILE_BYTES];
  const size = i % 7 === 0 ? (sizes[(i / 7) % sizes.length] as number) : (i * 37) % 9000;
  const out = Buffer.alloc(size);
  for (let at = 0; at < size; at += 1) out[at] = (at * 31 + i) & 0xff;
  return out;
}

function chunks(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += 3000) out.push(body.subarray(at, at + 3000));
  return out;
}

const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function queueFiles(root: string, count: number): Promise<Map<string, string>> {
  const queue = new SmallFileQueue(root);
  const expected = new Map<string, string>();
  try {
    for (let i = 0; i < count; i += 1) {
      const path = join(root, `d${String(i % 13)}`, `sub${String(i % 3)}`, `f${String(i)}`);
      const body = content(i);
      expected.set(path, digest(body));
      await queue.add(path, chunks(body));
    }
    await queue.drain();
  } finally {
    await queue.stop();
  }
  return expected;
}

describe('SmallFileQueue', () => {
  it.each([
    ['fewer than one batch, created on this thread', 300],
    ['many batches, created by the worker', 5000],
  ])(
    'creates every file byte for byte with mode 0644 (%s)',
    async (_, count) => {
      const root = await dirs.make('airlock-queue-');
      const expected = await queueFiles(root, count);
      for (const [path, hash] of expected) {
        expect(digest(await readFile(path)), path).toBe(hash);
        expect((await stat(path)).mode & 0o777).toBe(0o644);
      }
      expect((await readdir(root)).length).toBe(13);
    },
    120_000,
  );

  it.each([
    ['on this thread', 10],
    ['in the worker', 3000],
  ])(
    'a file that cannot be created fails drain() naming it, and nothing after it is written (%s)',
    async (_, before) => {
      const root = await dirs.make('airlock-queue-');
      const queue = new SmallFileQueue(root);
      try {
        for (let i = 0; i < before; i += 1) await queue.add(join(root, 'ok', `f${String(i)}`), [Buffer.from(String(i))]);
        // A file where a later file needs a folder: its mkdir fails.
        await writeFile(join(root, 'blocker'), 'x');
        const bad = join(root, 'blocker', 'inside');
        await queue.add(bad, [Buffer.from('never')]);
        await queue.add(join(root, 'after'), [Buffer.from('never')]);
        const failure = (await queue.drain().then(
          () => null,
          (error: unknown) => error,
        )) as { code?: string; path?: string } | null;
        expect(failure).not.toBeNull();
        expect(['ENOTDIR', 'EEXIST']).toContain(failure?.code);
        expect(failure?.path).toContain(join(root, 'blocker'));
        await expect(stat(join(root, 'after'))).rejects.toMatchObject({ code: 'ENOENT' });
        // The next add() says so too: nothing is retried into success.
        await expect(queue.add(join(root, 'later'), [])).rejects.toMatchObject({ code: failure?.code });
      } finally {
        await queue.stop();
      }
    },
    120_000,
  );

  it('creates nothing after stop(), even with batches still queued', async () => {
    const root = await dirs.make('airlock-queue-');
    const queue = new SmallFileQueue(root);
    for (let i = 0; i < 4000; i += 1) await queue.add(join(root, `f${String(i)}`), [Buffer.from('x')]);
    await queue.stop();
    const after = (await readdir(root)).length;
    expect(after).toBeLessThanOrEqual(4000);
    await expect(queue.add(join(root, 'late'), [])).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(queue.drain()).rejects.toMatchObject({ code: 'CANCELLED' });
    // The worker is gone: the folder holds what it held when stop() resolved.
    await new Promise((resolve) => setImmediate(resolve));
    expect((await readdir(root)).length).toBe(after);
  }, 120_000);

  it('refuses to queue a file larger than a small file', async () => {
    const root = await dirs.make('airlock-queue-');
    const queue = new SmallFileQueue(root);
    await expect(queue.add(join(root, 'big'), [Buffer.alloc(SMALL_FILE_BYTES + 1)])).rejects.toMatchObject({ code: 'INTERNAL' });
    await queue.stop();
  });
});
