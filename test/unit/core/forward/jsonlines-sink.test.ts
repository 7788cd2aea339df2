/**
 * The JSON-lines sink: rotation under load keeps every line whole and in exactly one file, the
 * oldest beyond `keep` go, a line torn by a killed writer is cut back before anything is appended,
 * and an event counts as delivered only once its line was fsynced.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../electron/core/audit/audit-event.js';
import { JsonLinesSink } from '../../../../electron/core/forward/jsonlines-sink.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

function events(from: number, count: number, name = 'bundle'): AuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    at: '2026-12-03T09:00:00.123Z',
    type: 'import',
    outcome: 'ok',
    operator: 'op',
    station: 'st',
    bundleUuid: null,
    bundleName: `${name}-${from + i}`.padEnd(20 + ((from + i) % 300), 'x'),
    tagmanifestSha256: null,
    signers: [],
    problemCodes: [],
    errorCode: null,
    files: null,
    bytes: null,
    details: {},
    filesDigest: null,
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
  }));
}

async function linesIn(dir: string): Promise<{ seqs: number[]; files: Map<string, string> }> {
  const files = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(join(dir, name), 'utf8'));
  const seqs: number[] = [];
  for (const text of files.values()) {
    expect(text === '' || text.endsWith('\n')).toBe(true);
    for (const line of text.split('\n').slice(0, -1)) seqs.push((JSON.parse(line) as { event: { sequence: number } }).event.sequence);
  }
  return { seqs: seqs.sort((a, b) => a - b), files };
}

const signal = new AbortController().signal;

describe('JSON-lines sink', () => {
  it('rotates under load: every line whole, in one file only, files under maxBytes', async () => {
    const dir = await tempDir('airlock-jsonl-');
    const sink = new JsonLinesSink({ path: join(dir, 'audit.jsonl'), maxBytes: 8192, keep: 1000 });
    let seq = 1;
    for (const size of [1, 7, 300, 2, 1000, 55, 1, 640]) {
      await sink.send(events(seq, size), signal);
      seq += size;
      expect(sink.confirmedSeq()).toBe(seq - 1);
    }
    await sink.close();
    const { seqs, files } = await linesIn(dir);
    expect(seqs).toEqual(Array.from({ length: seq - 1 }, (_, i) => i + 1));
    expect(files.size).toBeGreaterThan(50);
    for (const [name, text] of files) expect(Buffer.byteLength(text), name).toBeLessThanOrEqual(8192);
    // Newest in PATH, then .1, .2 ...: the order of the rotation.
    const first = (name: string): number => (JSON.parse(files.get(name)?.split('\n')[0] ?? '{}') as { event: { sequence: number } }).event.sequence;
    expect(first('audit.jsonl.1')).toBeLessThan(first('audit.jsonl'));
    expect(first('audit.jsonl.2')).toBeLessThan(first('audit.jsonl.1'));
  });

  it('keeps only `keep` rotated files, dropping the oldest', async () => {
    const dir = await tempDir('airlock-jsonl-');
    const sink = new JsonLinesSink({ path: join(dir, 'audit.jsonl'), maxBytes: 4096, keep: 2 });
    await sink.send(events(1, 500), signal);
    await sink.close();
    expect((await readdir(dir)).sort()).toEqual(['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2']);
    const { seqs } = await linesIn(dir);
    expect(seqs[seqs.length - 1]).toBe(500);
    expect(seqs.length).toBeLessThan(500);
  });

  it('cuts back a line torn by a killed writer before appending', async () => {
    const dir = await tempDir('airlock-jsonl-');
    const path = join(dir, 'audit.jsonl');
    const whole = `${JSON.stringify({ event: { sequence: 1 } })}\n`;
    await writeFile(path, `${whole}{"event":{"sequence":2,"torn`);
    const sink = new JsonLinesSink({ path });
    await sink.send(events(2, 3), signal);
    await sink.close();
    const { seqs } = await linesIn(dir);
    expect(seqs).toEqual([1, 2, 3, 4]);
  });

  it('a file that is one torn line only starts empty', async () => {
    const dir = await tempDir('airlock-jsonl-');
    const path = join(dir, 'audit.jsonl');
    await writeFile(path, '{"event":{"seq');
    const sink = new JsonLinesSink({ path });
    await sink.send(events(1, 1), signal);
    await sink.close();
    expect((await linesIn(dir)).seqs).toEqual([1]);
  });

  it('confirms nothing when the file cannot be written, and throws', async () => {
    const dir = await tempDir('airlock-jsonl-');
    await mkdir(join(dir, 'audit.jsonl'));
    const sink = new JsonLinesSink({ path: join(dir, 'audit.jsonl') });
    await expect(sink.send(events(1, 2), signal)).rejects.toThrow();
    expect(sink.confirmedSeq()).toBe(0);
  });
});
