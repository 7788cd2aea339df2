/**
 * A valid signed bundle cut short at every kind of place (inside a header, a pax header, an
 * entry's data, its padding, the end-of-archive blocks): verify refuses it, and its sequential
 * and parallel passes report exactly the same (verify-both-ways.ts). The parallel pass's walk
 * waits for the lanes' digest of each file, so it reaches the source's end while node-tar still
 * holds headers; it used to report the truncation before the entries those headers hold
 * (docs/design-notes.md, hostile5 and parity5).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../electron/core/policy/limits.js';
import { endOfArchive, makeSigner, paxEntry, paxRecord, rawEntry, signedBag, type TestSigner } from '../helpers/hostile-tar.js';
import { verifyBothWays } from '../helpers/verify-both-ways.js';

const BLOCK = 512;

let dir: string;
let signer: TestSigner;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-truncated-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const longName = `data/${'n'.repeat(120)}.txt`;
const files = [
  { path: 'data/a.txt', content: 'alpha\n' },
  // Data over several blocks, the last one padded.
  { path: 'data/b.bin', content: Buffer.alloc(3000, 0x62) },
  { path: 'data/empty.txt', content: '' },
  // A name over 100 bytes: its entry has a pax header before it.
  { path: longName, content: 'charlie\n' },
  { path: 'data/z.bin', content: Buffer.alloc(1100, 0x7a) },
];

interface Layout {
  bytes: Buffer;
  /** Where each entry (its pax header included) starts, and where its data ends (before padding). */
  entries: Array<{ start: number; dataEnd: number }>;
  endBlocks: number;
}

async function validBundle(): Promise<Layout> {
  const bag = await signedBag(signer, files);
  const parts: Buffer[] = [];
  const entries: Layout['entries'] = [];
  let offset = 0;
  for (const entry of [...bag.tagEntries, ...bag.payloadEntries]) {
    const pax = Buffer.byteLength(entry.path) > 100 ? paxEntry(paxRecord('path', entry.path)) : null;
    const raw = rawEntry(pax ? { ...entry, path: entry.path.slice(0, 100) } : entry);
    const size = Buffer.byteLength(entry.body ?? '');
    entries.push({ start: offset, dataEnd: offset + (pax?.length ?? 0) + BLOCK + size });
    for (const part of pax ? [pax, raw] : [raw]) {
      parts.push(part);
      offset += part.length;
    }
  }
  parts.push(endOfArchive());
  return { bytes: Buffer.concat(parts), entries, endBlocks: offset };
}

/** Every kind of place to cut: each entry's header (start, middle), data (first byte, end before its padding, middle of the padding), the end blocks. */
function cuts(layout: Layout): number[] {
  const at = new Set<number>();
  for (const { start, dataEnd } of layout.entries) {
    for (const cut of [start, start + 1, start + BLOCK / 2, start + BLOCK, start + BLOCK + 1, dataEnd, dataEnd + 1]) at.add(cut);
  }
  for (const cut of [layout.endBlocks, layout.endBlocks + 1, layout.endBlocks + BLOCK, layout.endBlocks + BLOCK + 100, layout.bytes.length - 1]) at.add(cut);
  return [...at].filter((cut) => cut >= 0 && cut < layout.bytes.length).sort((a, b) => a - b);
}

describe('verify of a truncated bundle: both passes', () => {
  it('accepts the whole bundle (each refusal below is the cut)', async () => {
    const layout = await validBundle();
    const path = join(dir, 'whole.airlock.tar');
    await writeFile(path, layout.bytes);
    const result = await verifyBothWays({ bundlePath: path, trusted: [signer.trusted], limits: DEFAULT_LIMITS });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('refuses it cut anywhere, and both passes report the same', async () => {
    const layout = await validBundle();
    const cutAt = cuts(layout);
    // Some cuts fall in the payload after its headers: the case the passes used to differ on.
    expect(cutAt.filter((cut) => cut > (layout.entries.at(-1)?.start ?? Infinity)).length).toBeGreaterThan(3);
    for (const cut of cutAt) {
      const path = join(dir, `cut-${cut}.airlock.tar`);
      await writeFile(path, layout.bytes.subarray(0, cut));
      const result = await verifyBothWays({ bundlePath: path, trusted: [signer.trusted], limits: DEFAULT_LIMITS });
      expect({ cut, ok: result.ok }).toEqual({ cut, ok: false });
      expect({ cut, codes: result.problems.map((p) => p.code) }).toEqual({ cut, codes: expect.arrayContaining(['ARCHIVE_CORRUPT']) });
      await rm(path);
    }
  }, 120_000);
});
