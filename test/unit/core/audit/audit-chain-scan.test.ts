/**
 * The fast hash input of the audit walk (audit-chain-scan.ts) is built by SQLite's json_quote();
 * it may only ever speed up a row, never change a verdict. These pin the property that makes it
 * safe: json_quote() of any stored text is JSON.stringify() of that text as better-sqlite3 reads
 * it, for every UTF-16 code unit (lone surrogates included, as the store turns them into U+FFFD),
 * for bytes that are not UTF-8 at all, and for the integers the log holds. Plus: the walk
 * can be cancelled, and stops its worker threads when it is.
 */
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkAuditChain } from '../../../../electron/core/audit/audit-chain-lanes.js';
import { GENESIS_HASH } from '../../../../electron/core/audit/audit-event.js';
import { buildAuditRecord, insertAuditRecord } from '../../../../electron/core/audit/audit-store.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';

describe('json_quote() writes what JSON.stringify() writes', () => {
  const db = new Database(':memory:');
  afterAll(() => db.close());
  const quoteAll = (texts: string[]) => {
    db.exec('DROP TABLE IF EXISTS t; CREATE TABLE t (i INTEGER PRIMARY KEY, v TEXT) STRICT');
    const insert = db.prepare('INSERT INTO t (i, v) VALUES (?, ?)');
    db.transaction(() => texts.forEach((text, i) => insert.run(i, text)))();
    return db.prepare('SELECT v, json_quote(v) AS q FROM t ORDER BY i').all() as { v: string; q: string }[];
  };

  it('for every UTF-16 code unit, alone and between other text', () => {
    const texts: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit += 1) texts.push(String.fromCharCode(unit), `a${String.fromCharCode(unit)}"z\\`);
    for (const { v, q } of quoteAll(texts)) expect(q, `code unit ${v.codePointAt(0)?.toString(16) ?? ''}`).toBe(JSON.stringify(v));
  });

  it('for characters outside the BMP, mixed escapes and long text', () => {
    const texts = ['🔐', 'a😀b', '\u{10ffff}', '\u{1f600}\u0000\n\r\t\b\f"\\/', 'x'.repeat(100_000), '\ud800\udc00', '\udfff\ud800'];
    for (const { v, q } of quoteAll(texts)) expect(q).toBe(JSON.stringify(v));
  });

  it('for stored bytes that are not UTF-8', () => {
    const rows = db
      .prepare(
        "SELECT v, json_quote(v) AS q FROM (SELECT CAST(X'61FF62' AS TEXT) AS v UNION ALL SELECT CAST(X'C3' AS TEXT) UNION ALL SELECT CAST(X'E282' AS TEXT) UNION ALL SELECT CAST(X'EDA080' AS TEXT) UNION ALL SELECT CAST(X'F4908080' AS TEXT) UNION ALL SELECT CAST(X'22C322' AS TEXT))",
      )
      .all() as { v: string; q: string }[];
    for (const { v, q } of rows) expect(q).toBe(JSON.stringify(v));
  });

  it('for the integers and nulls of the numeric columns (STRICT INTEGER, as in the log)', () => {
    db.exec('DROP TABLE IF EXISTS n; CREATE TABLE n (i INTEGER PRIMARY KEY, v INTEGER) STRICT');
    const numbers = [0, 1, -1, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1), 1_073_741_824_000, null];
    const insert = db.prepare('INSERT INTO n (i, v) VALUES (?, ?)');
    numbers.forEach((value, i) => insert.run(i, value));
    const rows = db.prepare('SELECT v, json_quote(v) AS q FROM n ORDER BY i').all() as { v: number | null; q: string }[];
    expect(rows.map((r) => r.q)).toEqual(numbers.map((value) => JSON.stringify(value)));
    expect(rows.map((r) => r.v)).toEqual(numbers);
  });
});

describe('cancelling the walk', () => {
  let dir: string;
  let db: StationDb;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'airlock-audit-cancel-'));
    db = openStationDb(join(dir, 'airlock.db'));
    let prev = GENESIS_HASH;
    db.transaction(() => {
      for (let seq = 1; seq <= 3000; seq += 1) {
        const record = buildAuditRecord({ station: 's', operator: 'o', organization: null }, { type: 'export', outcome: 'ok' }, seq, prev, new Date(0));
        insertAuditRecord(db, record);
        prev = record.row.hash;
      }
    })();
  });
  afterAll(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an aborted signal stops it before it reads a row, on this thread and on workers', async () => {
    for (const lanes of [1, 2]) {
      await expect(walkAuditChain(db, new Set(), { signal: AbortSignal.abort(), lanes, chunkEvents: 100 })).rejects.toMatchObject({ code: 'CANCELLED' });
    }
  });

  it('a cancel during the walk ends it with CANCELLED, on this thread and on workers', async () => {
    for (const lanes of [1, 2]) {
      const controller = new AbortController();
      const walk = walkAuditChain(db, new Set(), { signal: controller.signal, lanes, chunkEvents: 10 });
      controller.abort();
      await expect(walk).rejects.toMatchObject({ code: 'CANCELLED' });
    }
  });

  it('the same log walks to the end when nobody cancels', async () => {
    for (const lanes of [1, 2]) {
      await expect(walkAuditChain(db, new Set([1500]), { lanes, chunkEvents: 10 })).resolves.toMatchObject({ rows: 3000, expected: 3001, broken: null });
    }
  });
});
