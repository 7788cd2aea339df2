import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../../../../shared/progress.js';
import { AirlockError } from '../../../../../electron/core/errors.js';
import { ProgressTracker } from '../../../../../electron/core/jobs/progress-tracker.js';
import { DEFAULT_LIMITS } from '../../../../../electron/core/policy/limits.js';
import { MANIFEST_READ_CHUNK, readManifestAt, readManifestInSteps } from '../../../../../electron/core/verify/steps/manifest-read.js';
import { MANIFEST_LINES_PER_STEP, payloadManifestSteps, readPayloadManifest } from '../../../../../electron/core/verify/tag-checks.js';
import type { PayloadIndex } from '../../../../../electron/core/verify/payload-index.js';
import { createVerifyState, type ManifestSpan, type VerifyState } from '../../../../../electron/core/verify/verify-state.js';

const H = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const manifest = (count: number): Buffer => Buffer.from(Array.from({ length: count }, (_, i) => `${H}  data/d${i % 9}/f${i}.txt\n`).join(''));

/** A verify state whose tracker reports every step (interval 0): the steps are counted, not timed. */
function stateFor(seen: Progress[], signal?: AbortSignal, bundlePath = 'x.airlock.tar'): VerifyState {
  const state = createVerifyState({ bundlePath, trusted: [], signal }, null);
  return { ...state, tracker: new ProgressTracker((p) => seen.push(p), 0) };
}

describe('payloadManifestSteps (issue #18: a 200,000-line manifest parsed without a stall)', () => {
  it('announces the line total, then yields every MANIFEST_LINES_PER_STEP lines, and ends with what readPayloadManifest returns', () => {
    const bytes = manifest(MANIFEST_LINES_PER_STEP * 3 + 17);
    const steps = payloadManifestSteps(bytes, DEFAULT_LIMITS);
    const yielded: number[] = [];
    let next = steps.next();
    while (next.done !== true) {
      expect(next.value.linesTotal).toBe(MANIFEST_LINES_PER_STEP * 3 + 17);
      yielded.push(next.value.lines);
      next = steps.next();
    }
    expect(yielded).toEqual([0, MANIFEST_LINES_PER_STEP, MANIFEST_LINES_PER_STEP * 2, MANIFEST_LINES_PER_STEP * 3]);
    const whole = readPayloadManifest(bytes, DEFAULT_LIMITS);
    expect('entries' in next.value && 'entries' in whole && [...next.value.entries.paths()]).toEqual('entries' in whole && [...whole.entries.paths()]);
  });

  it('still refuses a bad line past the first steps, with its line number', () => {
    const bytes = Buffer.concat([manifest(MANIFEST_LINES_PER_STEP * 2 + 5), Buffer.from('not a line\n')]);
    const steps = payloadManifestSteps(bytes, DEFAULT_LIMITS);
    let next = steps.next();
    while (next.done !== true) next = steps.next();
    expect(next.value).toMatchObject({ problem: { code: 'MANIFEST_INVALID', message: expect.stringContaining(`line ${MANIFEST_LINES_PER_STEP * 2 + 6}`) } });
  });
});

describe('readManifestInSteps', () => {
  it("reports 'reading-manifest' with the line total; the count only grows, by at most one step between reports, to every line", async () => {
    const count = MANIFEST_LINES_PER_STEP * 5 + 3;
    const seen: Progress[] = [];
    const read = await readManifestInSteps(stateFor(seen), manifest(count));
    expect('entries' in read && read.entries.size).toBe(count);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(seen.every((p) => p.phase === 'reading-manifest' && p.filesTotal === count && p.bytesTotal === manifest(count).length)).toBe(true);
    const counts = seen.map((p) => p.filesDone);
    expect(counts[0]).toBe(0);
    expect(counts.at(-1)).toBe(count);
    expect(seen.at(-1)?.bytesDone).toBe(manifest(count).length);
    for (let i = 1; i < counts.length; i += 1) {
      const step = (counts[i] as number) - (counts[i - 1] as number);
      expect(step).toBeGreaterThanOrEqual(0);
      expect(step).toBeLessThanOrEqual(MANIFEST_LINES_PER_STEP);
    }
  });

  it('stops within one step when cancelled mid-parse: CANCELLED, no manifest kept', async () => {
    const controller = new AbortController();
    const seen: Progress[] = [];
    const state = stateFor(seen, controller.signal);
    const parsing = readManifestInSteps(state, manifest(MANIFEST_LINES_PER_STEP * 20));
    // The abort arrives from outside, between two steps (as a Cancel or SIGINT does), once the parse is under way.
    let atAbort = -1;
    const abortWhenUnderWay = setInterval(() => {
      const done = seen.at(-1)?.filesDone ?? 0;
      if (done >= MANIFEST_LINES_PER_STEP * 2 && atAbort < 0) {
        atAbort = done;
        controller.abort();
      }
    }, 0);
    const error = await parsing.catch((e: unknown) => e).finally(() => clearInterval(abortWhenUnderWay));
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('CANCELLED');
    // At most the step under way when the abort landed was parsed after it.
    expect(atAbort).toBeGreaterThan(0);
    expect(seen.at(-1)?.filesDone ?? 0).toBeLessThanOrEqual(atAbort + MANIFEST_LINES_PER_STEP);
    expect(state.manifest).toBeNull();
  });
});

describe('readManifestAt (issue #18: the manifest read back from the bundle file, never held whole)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-manifest-at-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;

  /** A "bundle file": `bytes` between other bytes (not a tar: the span says where the manifest is), and its span. */
  function placed(bytes: Buffer, digestOf: Buffer = bytes): { path: string; span: ManifestSpan } {
    const path = join(dir, `bundle-${(files += 1)}.tar`);
    const before = Buffer.alloc(1536, 0x41);
    writeFileSync(path, Buffer.concat([before, bytes, Buffer.alloc(700, 0x0a)]));
    const lines = bytes.reduce((n, byte) => n + (byte === 0x0a ? 1 : 0), 0);
    return { path, span: { offset: before.length, size: bytes.length, sha256: createHash('sha256').update(digestOf).digest('hex'), lines } };
  }

  const rows = (index: PayloadIndex): string[] => Array.from({ length: index.size }, (_, i) => `${index.expectedHex(i)} ${index.pathAt(i)}`);

  it('gives what the parse of the bytes held whole gives, across chunk boundaries (CRLF line ends, no final line end)', async () => {
    const lines = Array.from(
      { length: 30_000 },
      (_, i) => `${createHash('sha256').update(String(i)).digest('hex')}  data/d${i % 7}/f-${i}-${'x'.repeat(i % 50)}.txt`,
    );
    const bytes = Buffer.from(lines.join('\r\n'));
    expect(bytes.length).toBeGreaterThan(2 * MANIFEST_READ_CHUNK);
    const { path, span } = placed(bytes);
    const seen: Progress[] = [];
    const read = await readManifestAt(stateFor(seen, undefined, path), span);
    const whole = readPayloadManifest(bytes, DEFAULT_LIMITS);
    if (!('entries' in read) || !('entries' in whole)) throw new Error('both parses should succeed');
    expect(read.entries.size).toBe(30_000);
    expect(rows(read.entries)).toEqual(rows(whole.entries));
    expect(seen[0]).toMatchObject({ phase: 'reading-manifest', filesDone: 0, bytesTotal: bytes.length });
    expect(seen.at(-1)).toMatchObject({ phase: 'reading-manifest', filesDone: 30_000, bytesDone: bytes.length });
  });

  it('reads a manifest with CR-only line ends in slices too, with the same result', async () => {
    const lines = Array.from({ length: 25_000 }, (_, i) => `${H}  data/cr/f${i}.txt`);
    const bytes = Buffer.from(`${lines.join('\r')}\r`);
    expect(bytes.length).toBeGreaterThan(2 * MANIFEST_READ_CHUNK);
    const { path, span } = placed(bytes);
    const read = await readManifestAt(stateFor([], undefined, path), span);
    const whole = readPayloadManifest(bytes, DEFAULT_LIMITS);
    if (!('entries' in read) || !('entries' in whole)) throw new Error('both parses should succeed');
    expect(rows(read.entries)).toEqual(rows(whole.entries));
  });

  it('refuses bytes other than the ones authenticated (the file changed since): CHECKSUM_MISMATCH, even where the changed bytes parse', async () => {
    const signed = manifest(50);
    const changed = Buffer.from(signed.toString().replace('data/d1/f1.txt', 'data/d1/f9.txt'));
    const { path, span } = placed(changed, signed);
    const read = await readManifestAt(stateFor([], undefined, path), span);
    expect(read).toMatchObject({ problem: { code: 'CHECKSUM_MISMATCH', path: 'manifest-sha256.txt' } });
  });

  it('reports the change, not what the parse of the changed bytes refused', async () => {
    const signed = manifest(50);
    const changed = Buffer.from(signed.toString().replace('data/d1/f1.txt', '../../etc/pass'));
    const { path, span } = placed(changed, signed);
    expect(await readManifestAt(stateFor([], undefined, path), span)).toMatchObject({ problem: { code: 'CHECKSUM_MISMATCH' } });
  });

  it('refuses a file now shorter than the span (CHECKSUM_MISMATCH)', async () => {
    const bytes = manifest(20);
    const { path, span } = placed(bytes);
    const read = await readManifestAt(stateFor([], undefined, path), { ...span, size: span.size + 10_000 });
    expect(read).toMatchObject({ problem: { code: 'CHECKSUM_MISMATCH' } });
  });

  it('refuses what the whole-bytes parse refuses: a byte-order mark, a bad line with its number', async () => {
    const bom = placed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), manifest(3)]));
    expect(await readManifestAt(stateFor([], undefined, bom.path), bom.span)).toMatchObject({
      problem: { code: 'MANIFEST_INVALID', message: expect.stringContaining('byte-order mark') },
    });
    const bad = placed(Buffer.concat([manifest(MANIFEST_LINES_PER_STEP + 4), Buffer.from('not a line\n')]));
    expect(await readManifestAt(stateFor([], undefined, bad.path), bad.span)).toMatchObject({
      problem: { code: 'MANIFEST_INVALID', message: expect.stringContaining(`line ${MANIFEST_LINES_PER_STEP + 5}`) },
    });
  });

  it('stops when cancelled: CANCELLED', async () => {
    const { path, span } = placed(manifest(MANIFEST_LINES_PER_STEP * 10));
    const controller = new AbortController();
    const state = stateFor([], controller.signal, path);
    const reading = readManifestAt(state, span);
    controller.abort();
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('CANCELLED');
  });

  it('an empty manifest is an empty payload', async () => {
    const { path, span } = placed(Buffer.alloc(0));
    const read = await readManifestAt(stateFor([], undefined, path), span);
    expect('entries' in read && read.entries.size).toBe(0);
  });

  describe('with a digest spill offered (compact/digest-column.ts)', () => {
    const spillDir = join(dir, 'spool');
    const spillState = (path: string, signal?: AbortSignal): VerifyState =>
      createVerifyState({ bundlePath: path, trusted: [], signal, digestSpill: { dir: spillDir, minFiles: 2 } }, null);
    /** Descriptors of this process open on a file in the spill folder (Linux; elsewhere none are seen). */
    const openSpills = (): number =>
      process.platform !== 'linux'
        ? 0
        : readdirSync('/proc/self/fd').filter((fd) => {
            try {
              return readlinkSync(`/proc/self/fd/${fd}`).startsWith(spillDir);
            } catch {
              return false;
            }
          }).length;

    it("keeps a large manifest's checksums in the spill, with what the parse of the bytes held whole gives", async () => {
      const bytes = manifest(5000);
      const { path, span } = placed(bytes);
      const read = await readManifestAt(spillState(path), span);
      const whole = readPayloadManifest(bytes, DEFAULT_LIMITS);
      if (!('entries' in read) || !('entries' in whole)) throw new Error('both parses should succeed');
      expect(read.entries.digestsSpilled).toBe(true);
      expect(rows(read.entries)).toEqual(rows(whole.entries));
      if (process.platform === 'linux') expect(openSpills()).toBe(1);
      read.entries.release();
      expect(openSpills()).toBe(0);
      expect(readdirSync(spillDir)).toEqual([]);
    });

    it("keeps one below the spill's size in memory", async () => {
      const { path, span } = placed(manifest(1));
      const read = await readManifestAt(spillState(path), span);
      expect('entries' in read && read.entries.digestsSpilled).toBe(false);
    });

    it('releases the spill when the manifest is refused, changed or the read cancelled', async () => {
      const signed = manifest(50);
      const changed = placed(Buffer.from(signed.toString().replace('data/d1/f1.txt', 'data/d1/f9.txt')), signed);
      expect(await readManifestAt(spillState(changed.path), changed.span)).toMatchObject({ problem: { code: 'CHECKSUM_MISMATCH' } });
      expect(openSpills()).toBe(0);
      const bad = placed(Buffer.concat([manifest(10), Buffer.from('not a line\n')]));
      expect(await readManifestAt(spillState(bad.path), bad.span)).toMatchObject({ problem: { code: 'MANIFEST_INVALID' } });
      expect(openSpills()).toBe(0);
      const long = placed(manifest(MANIFEST_LINES_PER_STEP * 10));
      const controller = new AbortController();
      const reading = readManifestAt(spillState(long.path, controller.signal), long.span);
      controller.abort();
      expect(await reading.catch((e: unknown) => (e as AirlockError).code)).toBe('CANCELLED');
      expect(openSpills()).toBe(0);
      expect(readdirSync(spillDir)).toEqual([]);
    });
  });

  it('a bundle file that cannot be opened is BUNDLE_UNREADABLE', async () => {
    const error = await readManifestAt(stateFor([], undefined, join(dir, 'absent.tar')), { offset: 0, size: 10, sha256: '0'.repeat(64), lines: 1 }).catch(
      (e: unknown) => e,
    );
    expect((error as AirlockError).code).toBe('BUNDLE_UNREADABLE');
  });
});
