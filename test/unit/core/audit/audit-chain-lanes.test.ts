/**
 * The walk along the audit chain reports its progress (audit-chain-lanes.ts): the
 * 'verifying-audit-chain' phase counted in events, once per chunk at most (never per event),
 * ending at the events checked; on one lane and on several; and a cancel still stops it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkAuditChain } from '../../../../electron/core/audit/audit-chain-lanes.js';
import { GENESIS_HASH } from '../../../../electron/core/audit/audit-event.js';
import { buildAuditRecord, insertAuditRecord } from '../../../../electron/core/audit/audit-store.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import type { Progress } from '../../../../shared/progress.js';

const EVENTS = 1000;
const CHUNK = 50;
const CHUNKS = EVENTS / CHUNK;

let dir: string;
let db: StationDb;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-audit-progress-'));
  db = openStationDb(join(dir, 'station.db'));
  let prev = GENESIS_HASH;
  const at = Date.parse('2026-01-01T00:00:00Z');
  db.transaction(() => {
    for (let seq = 1; seq <= EVENTS; seq += 1) {
      const input = { type: 'export', outcome: 'ok', bundleName: `bundle ${String(seq)}`, details: { n: seq } } as const;
      const record = buildAuditRecord({ station: 'st-1', operator: 'alice', organization: null }, input, seq, prev, new Date(at + seq * 1000));
      insertAuditRecord(db, record);
      prev = record.row.hash;
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
});
afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

async function walked(lanes: number, signal?: AbortSignal): Promise<{ seen: Progress[]; rows: number }> {
  const seen: Progress[] = [];
  const walk = await walkAuditChain(db, new Set(), { lanes, chunkEvents: CHUNK, signal, onProgress: (p) => seen.push(p) });
  return { seen, rows: walk.rows };
}

describe.each([1, 3])('the chain walk on %i lane(s) reports its progress', (lanes) => {
  it('in events, from 0 to the total, never going back, at most once a chunk', async () => {
    const { seen, rows } = await walked(lanes);
    expect(rows).toBe(EVENTS);
    expect(seen.every((p) => p.phase === 'verifying-audit-chain' && p.filesTotal === EVENTS && p.bytesTotal === null)).toBe(true);
    expect(seen[0]?.filesDone).toBe(0);
    expect(seen.at(-1)?.filesDone).toBe(EVENTS);
    expect(seen.at(-1)?.etaSeconds ?? 0).toBe(0);
    for (let i = 1; i < seen.length; i += 1) expect(seen[i]?.filesDone).toBeGreaterThanOrEqual(seen[i - 1]?.filesDone ?? 0);
    // The start, at most one per chunk (throttled to ~4 a second besides), and the end: never one per event.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(CHUNKS + 2);
  });

  it('is stopped by a cancel, with a listener as without', async () => {
    const controller = new AbortController();
    const seen: Progress[] = [];
    const walk = walkAuditChain(db, new Set(), {
      lanes,
      chunkEvents: CHUNK,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        controller.abort();
      },
    });
    await expect(walk).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen.at(-1)?.filesDone ?? 0).toBeLessThan(EVENTS);
  });
});

describe('the chain walk with a break', () => {
  it('ends its progress at the events read, the broken one included, not at the total', async () => {
    const edited = 437;
    db.prepare("UPDATE audit_events SET operator = 'mallory' WHERE seq = ?").run(edited);
    try {
      const seen: Progress[] = [];
      const walk = await walkAuditChain(db, new Set(), { lanes: 1, chunkEvents: CHUNK, onProgress: (p) => seen.push(p) });
      expect(walk.broken?.seq).toBe(edited);
      expect(seen.at(-1)?.filesDone).toBe(walk.rows);
      expect(walk.rows).toBe(edited);
    } finally {
      db.prepare("UPDATE audit_events SET operator = 'alice' WHERE seq = ?").run(edited);
    }
  });

  it('reports nothing when no one listens, and the verdict is the same', async () => {
    const walk = await walkAuditChain(db, new Set(), { lanes: 1, chunkEvents: CHUNK });
    expect(walk).toMatchObject({ rows: EVENTS, broken: null, expected: EVENTS + 1 });
  });
});
