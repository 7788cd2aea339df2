import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from '../../../../shared/progress.js';
import { filesDigest, type AuditFileRow } from '../../../../electron/core/audit/audit-event.js';
import { appendAuditEvent, auditFileRows, listAuditEvents } from '../../../../electron/core/audit/audit-store.js';
import { STAGE_CACHE_KIB, stageAuditFileRows } from '../../../../electron/core/audit/staged-file-rows.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import { AirlockError } from '../../../../electron/core/errors.js';

const identity = { station: 'st', operator: 'op', organization: null };
const at = new Date('2026-12-03T17:00:00.000Z');
let dir: string;
let db: StationDb;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-staged-rows-'));
  db = openStationDb(join(dir, 'a.db'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

/** Rows with awkward paths (quotes, backslash, non-ASCII) and sizes past 2^32: what a JSON digest or a SQL copy could mangle. */
function rows(count: number): AuditFileRow[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `data/d${i % 7}/f-${i}${i % 5 === 0 ? '-"q"\\ü' : ''}.txt`,
    size: i % 3 === 0 ? 2 ** 33 + i : i,
    sha256: (i % 16).toString(16).repeat(64),
  }));
}

function stagedCount(): number {
  const table = db.prepare("SELECT name FROM temp.sqlite_master WHERE name = 'audit_file_stage'").get();
  if (table === undefined) return 0;
  return (db.prepare('SELECT COUNT(*) AS n FROM temp.audit_file_stage').get() as { n: number }).n;
}

describe('stageAuditFileRows (issue #18: the audit rows of a 200,000-file import as a phase)', () => {
  it("stages with a small page cache and copies with one, leaving the station connection's own cache as it was (rss1m)", async () => {
    db.pragma('main.cache_size = -3000');
    const input = rows(300);
    const staged = await stageAuditFileRows(db, input, input.length);
    expect(db.pragma('temp.cache_size', { simple: true })).toBe(-STAGE_CACHE_KIB);
    const event = appendAuditEvent(db, identity, { type: 'import', outcome: 'ok', fileRows: staged }, at);
    expect(db.pragma('main.cache_size', { simple: true })).toBe(-3000);
    expect(auditFileRows(db, event.seq)).toEqual(input);
    staged.discard();
  });

  it('records an event identical to the one recorded from the rows themselves (hash, digest, every row in order)', async () => {
    const input = rows(5003);
    const staged = await stageAuditFileRows(db, input, input.length, { rowsPerBatch: 1000 });
    expect(staged.digest).toBe(filesDigest(input));
    const event = appendAuditEvent(db, identity, { type: 'import', outcome: 'ok', fileRows: staged }, at);
    staged.discard();

    const plainDb = openStationDb(join(dir, 'plain.db'));
    try {
      const plain = appendAuditEvent(plainDb, identity, { type: 'import', outcome: 'ok', fileRows: input }, at);
      expect(event.hash).toBe(plain.hash);
      expect(event.filesDigest).toBe(plain.filesDigest);
      expect(auditFileRows(db, event.seq)).toEqual(auditFileRows(plainDb, plain.seq));
      expect(auditFileRows(db, event.seq)).toEqual(input);
    } finally {
      plainDb.close();
    }
    expect(stagedCount()).toBe(0);
  });

  it('reports the phase in steps: counts only grow, by at most one batch between two reports, up to the total', async () => {
    const input = rows(4500);
    const seen: Progress[] = [];
    await stageAuditFileRows(db, input, input.length, { rowsPerBatch: 500, progressIntervalMs: 0, onProgress: (p) => seen.push(p) });
    expect(seen.every((p) => p.phase === 'recording-files' && p.filesTotal === 4500)).toBe(true);
    const counts = seen.map((p) => p.filesDone);
    expect(counts[0]).toBe(0);
    expect(counts.at(-1)).toBe(4500);
    for (let i = 1; i < counts.length; i += 1) {
      expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] as number);
      expect((counts[i] as number) - (counts[i - 1] as number)).toBeLessThanOrEqual(500);
    }
  });

  it('stops at the next batch when cancelled mid-phase: CANCELLED, nothing left staged, the audit log untouched', async () => {
    const before = appendAuditEvent(db, identity, { type: 'export', outcome: 'ok', fileRows: rows(3) }, at);
    const input = rows(6000);
    const controller = new AbortController();
    let reportedAfterAbort = 0;
    const error = await stageAuditFileRows(db, input, input.length, {
      rowsPerBatch: 500,
      progressIntervalMs: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (controller.signal.aborted) reportedAfterAbort += 1;
        if (p.filesDone >= 1500) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('CANCELLED');
    // The batch that saw the abort was the last one: no further batch was written or reported.
    expect(reportedAfterAbort).toBe(0);
    expect(stagedCount()).toBe(0);
    const events = listAuditEvents(db);
    expect(events.map((e) => e.seq)).toEqual([before.seq]);
    expect(auditFileRows(db, before.seq)).toEqual(rows(3));
  });

  it('is refused once discarded, so rows of a finished import are never recorded twice', async () => {
    const staged = await stageAuditFileRows(db, rows(10), 10);
    staged.discard();
    expect(() => appendAuditEvent(db, identity, { type: 'import', outcome: 'ok', fileRows: staged }, at)).toThrow(/discarded/u);
    expect(listAuditEvents(db)).toEqual([]);
  });

  it('release() drops the recorded rows in steps, the event loop running between them, and leaves other stages alone', async () => {
    const other = await stageAuditFileRows(db, rows(700), 700);
    const input = rows(4500);
    const staged = await stageAuditFileRows(db, input, input.length, { rowsPerBatch: 1000 });
    appendAuditEvent(db, identity, { type: 'import', outcome: 'ok', fileRows: staged }, at);
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    await staged.release(1000);
    counting = false;
    // 4,500 rows in steps of 1,000: five DELETEs, a turn of the event loop after each.
    expect(turns).toBeGreaterThanOrEqual(5);
    expect(stagedCount()).toBe(700);
    expect(() => [...staged]).toThrow(/discarded/u);
    await staged.release(1000);
    other.discard();
    expect(stagedCount()).toBe(0);
  });

  it("drops the connection's only stage at once (no steps), and a stage beside another, before or after it, alone", async () => {
    const only = await stageAuditFileRows(db, rows(5), 5);
    appendAuditEvent(db, identity, { type: 'import', outcome: 'ok', fileRows: only }, at);
    let turns = 0;
    const count = (): void => {
      turns += 1;
    };
    setImmediate(count);
    // In steps of one row it would take five DELETEs and a turn of the event loop after each.
    await only.release(1);
    expect(turns).toBe(0);
    expect(stagedCount()).toBe(0);
    const first = await stageAuditFileRows(db, rows(3), 3);
    const second = await stageAuditFileRows(db, rows(4), 4);
    // The later stage beside an earlier one: only its own rows go.
    second.discard();
    expect(stagedCount()).toBe(3);
    const third = await stageAuditFileRows(db, rows(6), 6);
    // The earlier stage beside a later one.
    first.discard();
    expect(stagedCount()).toBe(6);
    expect([...third]).toEqual(rows(6));
    third.discard();
    expect(stagedCount()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(turns).toBe(1);
  });
});
