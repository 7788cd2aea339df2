import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, filesDigest, GENESIS_HASH } from '../../../../electron/core/audit/audit-event.js';
import { exportAuditLog, exportAuditLogToFile } from '../../../../electron/core/audit/audit-export.js';
import { appendAuditEvent, auditFileRows, FILE_ROWS_PER_INSERT, listAuditEvents } from '../../../../electron/core/audit/audit-store.js';
import { UNSAFE_ON_TERMINAL, hostileText } from '../../../helpers/hostile-text.js';
import { renderReceiptHtml, writeReceipt, type TransferReceipt } from '../../../../electron/core/audit/receipt.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import { verifyDetachedSignature } from '../../../../electron/core/crypto/detached-signature.js';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { makeSigner } from '../../../helpers/hostile-tar.js';

const identity = { station: 'st', operator: 'bob (root)', organization: null };
let dir: string;
let db: StationDb;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-audit-store-'));
  db = openStationDb(join(dir, 'a.db'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

async function collect(format: 'csv' | 'json'): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await exportAuditLog(db, format, out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('audit export: terminal-escape-injection', () => {
  it('the JSON export keeps 200 seeded hostile names exact and holds nothing raw a terminal acts on', async () => {
    for (let seed = 6100; seed < 6100 + 200; seed += 1) {
      const name = hostileText(seed);
      appendAuditEvent(db, identity, { type: 'verify', outcome: 'ok', bundleName: name, details: { note: hostileText(seed + 1) } });
    }
    const text = await collect('json');
    expect(UNSAFE_ON_TERMINAL.test(text)).toBe(false);
    const parsed = JSON.parse(text) as { events: Array<{ bundleName: string }> };
    // As the log holds them (SQLite keeps UTF-8: a lone surrogate is stored as U+FFFD).
    const stored = listAuditEvents(db, { limit: 1000 }).map((e) => e.bundleName);
    expect(parsed.events.map((e) => e.bundleName)).toEqual(stored.reverse());
  });
});

describe('audit export: cancel', () => {
  /** A sink that takes every write at once, as a file or a fast pipe does: the export never waits for 'drain'. */
  function eagerSink(): { out: Writable; lines: () => number } {
    let lines = 0;
    const out = new Writable({
      highWaterMark: 1 << 30,
      write(chunk: Buffer, _encoding, done) {
        for (const byte of chunk) if (byte === 0x0a) lines += 1;
        done();
      },
    });
    return { out, lines: () => lines };
  }

  it.each(['csv', 'json'] as const)('%s: a cancel that arrives as an event (Ctrl-C) stops the stream before its end', async (format) => {
    for (let i = 0; i < 1200; i += 1) appendAuditEvent(db, identity, { type: 'verify', outcome: 'ok', bundleName: `b-${i}` });
    const { out, lines } = eagerSink();
    const controller = new AbortController();
    // SIGINT reaches the process as an event-loop turn, never in the middle of synchronous work.
    setImmediate(() => controller.abort());
    await expect(exportAuditLog(db, format, out, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(lines()).toBeGreaterThan(0);
    expect(lines()).toBeLessThan(1200);
  });

  it('without a cancel, the same sink gets every event', async () => {
    for (let i = 0; i < 600; i += 1) appendAuditEvent(db, identity, { type: 'verify', outcome: 'ok', bundleName: `b-${i}` });
    const { out, lines } = eagerSink();
    expect(await exportAuditLog(db, 'csv', out, new AbortController().signal)).toEqual({ events: 600, checkpoints: 0 });
    expect(lines()).toBe(601);
  });
});

describe('audit events', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('chains events from the genesis hash, each hash over every stored field', () => {
    const first = appendAuditEvent(db, identity, { type: 'export', outcome: 'ok' });
    const second = appendAuditEvent(db, identity, { type: 'verify', outcome: 'rejected', problemCodes: ['CHECKSUM_MISMATCH'] });
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    const { hash, ...rest } = second;
    expect(eventHash(rest)).toBe(hash);
    expect(eventHash({ ...rest, operator: 'someone else' })).not.toBe(hash);
    expect(second).toMatchObject({ seq: 2, operator: 'bob (root)', station: 'st', problemCodes: ['CHECKSUM_MISMATCH'] });
  });

  it('filters by type, outcome, bundle, time and text, newest first, with a limit', () => {
    appendAuditEvent(db, identity, { type: 'export', outcome: 'ok', bundleName: 'alpha', bundleUuid: 'u-1' }, new Date('2026-01-01T00:00:00Z'));
    appendAuditEvent(db, identity, { type: 'import', outcome: 'rejected', bundleName: 'beta', problemCodes: ['REPLAY'] }, new Date('2026-02-01T00:00:00Z'));
    appendAuditEvent(
      db,
      identity,
      { type: 'import', outcome: 'ok', bundleName: 'gamma', details: { destination: '/srv/inbox' } },
      new Date('2026-03-01T00:00:00Z'),
    );
    const seqs = (q: Parameters<typeof listAuditEvents>[1]) => listAuditEvents(db, q).map((e) => e.seq);
    expect(seqs({})).toEqual([3, 2, 1]);
    expect(seqs({ type: 'import' })).toEqual([3, 2]);
    expect(seqs({ outcome: 'rejected' })).toEqual([2]);
    expect(seqs({ bundle: 'u-1' })).toEqual([1]);
    expect(seqs({ bundle: 'gamma' })).toEqual([3]);
    expect(seqs({ since: '2026-01-15T00:00:00Z', until: '2026-03-01T00:00:00Z' })).toEqual([2]);
    expect(seqs({ text: 'replay' })).toEqual([2]);
    expect(seqs({ text: 'SRV/INBOX' })).toEqual([3]);
    expect(seqs({ limit: 1 })).toEqual([3]);
  });

  it('stores an event’s file rows from JS in batches, every row as given and in order, under the event’s digest', () => {
    // Two full batches and a remainder; names a re-encoding could change (NUL-free control, emoji, combining mark, quote, U+FFFD).
    const count = 2 * FILE_ROWS_PER_INSERT + 37;
    const names = ['a\u0001b', '😀', 'e\u0301', '"q"', '\ufffd', 'x'];
    const rows = Array.from({ length: count }, (_, i) => ({
      path: `data/${names[i % names.length]}/${i}`,
      size: i * 7919,
      sha256: i.toString(16).padStart(64, '0'),
    }));
    const before = appendAuditEvent(db, identity, { type: 'export', outcome: 'ok', fileRows: rows.slice(0, 3) });
    const event = appendAuditEvent(db, identity, { type: 'export', outcome: 'ok', fileRows: rows });
    const stored = auditFileRows(db, event.seq);
    expect(stored).toEqual(rows);
    expect(filesDigest(stored)).toBe(event.filesDigest);
    expect(event.filesDigest).toBe(filesDigest(rows));
    expect(auditFileRows(db, before.seq)).toEqual(rows.slice(0, 3));
  });

  it('exports CSV with events, file rows and checkpoints, defusing formula-looking cells', async () => {
    appendAuditEvent(db, identity, {
      type: 'export',
      outcome: 'ok',
      bundleName: '=HYPERLINK("http://x")',
      fileRows: [{ path: 'data/"q".txt', size: 1, sha256: 'f'.repeat(64) }],
    });
    const csv = await collect('csv');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^record,seq,at,type,outcome/u);
    expect(lines[1]).toContain('"\'=HYPERLINK(""http://x"")"');
    expect(lines[2]).toMatch(/^"file","1",/u);
    expect(lines[2]).toContain('"data/""q"".txt"');
  });

  it('exports JSON that parses and carries hashes and file rows', async () => {
    appendAuditEvent(db, identity, { type: 'import', outcome: 'ok', fileRows: [{ path: 'data/a', size: 3, sha256: 'e'.repeat(64) }] });
    appendAuditEvent(db, identity, { type: 'verify', outcome: 'ok' });
    const parsed = JSON.parse(await collect('json')) as { events: Array<{ seq: number; hash: string; fileRows: unknown[] }>; checkpoints: unknown[] };
    expect(parsed.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(parsed.events[0]?.fileRows).toEqual([{ path: 'data/a', size: 3, sha256: 'e'.repeat(64) }]);
    expect(parsed.checkpoints).toEqual([]);
  });
});

describe('receipts', () => {
  const receipt: TransferReceipt = {
    receipt: 'airlock-transfer-receipt',
    version: 1,
    kind: 'import',
    bundle: { name: 'b-1', uuid: 'u', tagmanifestSha256: 'a'.repeat(64), path: '/media/b-1.airlock.tar' },
    signers: [{ fingerprint: 'A'.repeat(40), userIds: ['<script>alert(1)</script>'] }],
    checks: [{ check: 'Every payload file matches its signed SHA-256', result: 'passed', detail: '2 files' }],
    files: 2,
    bytes: 30,
    destination: '/srv/in/b-1',
    media: null,
    operator: 'op',
    station: 'st',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:01Z',
    audit: { eventSeq: 4, eventHash: 'b'.repeat(64), checkpoint: null },
  };

  it('writes JSON, a signature that verifies over it, and escaped HTML; never replaces an earlier receipt', async () => {
    const signer = await makeSigner('Station');
    const first = await writeReceipt(dir, receipt, openpgpSigner(signer.privateKey));
    const second = await writeReceipt(dir, receipt, null);
    expect(first.json).toBe(join(dir, 'b-1.import-receipt.json'));
    expect(second.json).toBe(join(dir, 'b-1.import-receipt-2.json'));
    expect(second.signature).toBeNull();
    const json = await readFile(first.json);
    const check = await verifyDetachedSignature(json, await readFile(first.signature ?? '', 'utf8'), [signer.trusted]);
    expect(check.problems).toEqual([]);
    const html = await readFile(first.html, 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain("default-src 'none'");
  });

  it('terminal-escape-injection in the receipt JSON: hostile names are exact when parsed, nothing raw a terminal acts on', async () => {
    const name = 'b\u001b]0;pwned\u0007\u009b2J\u202e\u200b\u2028';
    const hostile = { ...receipt, bundle: { ...receipt.bundle, path: `/media/${name}` }, signers: [{ fingerprint: 'A'.repeat(40), userIds: [name] }] };
    const written = await writeReceipt(dir, hostile, null);
    const json = await readFile(written.json, 'utf8');
    expect(UNSAFE_ON_TERMINAL.test(json), json).toBe(false);
    expect(JSON.parse(json)).toEqual(hostile);
  });

  it('escapes control and bidi characters in the HTML rendering', () => {
    const html = renderReceiptHtml({ ...receipt, bundle: { ...receipt.bundle, path: '/m/\u202Eexe.txt' } }, false);
    expect(html).not.toContain('\u202E');
    expect(html).toContain('\\u202e');
  });

  it('bidi-spoofed-names in the HTML receipt: marks, isolates, zero-width and tag characters in 500 seeded paths are shown, never acted on', () => {
    for (let seed = 4600; seed < 4600 + 500; seed += 1) {
      const path = `/m/${hostileText(seed)}`;
      const html = renderReceiptHtml({ ...receipt, bundle: { ...receipt.bundle, path, name: hostileText(seed + 1) } }, false);
      expect(UNSAFE_ON_TERMINAL.test(html), `seed ${seed}`).toBe(false);
    }
    const html = renderReceiptHtml({ ...receipt, bundle: { ...receipt.bundle, path: '/m/\u200fsha256\u061c:\u200bab' } }, false);
    expect(html).toContain('/m/\\u200fsha256\\u061c:\\u200bab');
  });
});

describe('paging, fingerprint search and export to a file', () => {
  const FPR = '0123456789ABCDEF0123456789ABCDEF01234567';

  it('pages newest-first with beforeSeq', () => {
    for (let i = 0; i < 7; i += 1) appendAuditEvent(db, identity, { type: 'verify', outcome: 'ok', bundleName: `b${i}` });
    const seqs = (q: Parameters<typeof listAuditEvents>[1]) => listAuditEvents(db, q).map((e) => e.seq);
    expect(seqs({ limit: 3 })).toEqual([7, 6, 5]);
    expect(seqs({ limit: 3, beforeSeq: 5 })).toEqual([4, 3, 2]);
    expect(seqs({ limit: 3, beforeSeq: 2 })).toEqual([1]);
    expect(seqs({ limit: 3, beforeSeq: 1 })).toEqual([]);
  });

  it('finds events by signer fingerprint, grouped or not, and by bundle UUID', () => {
    appendAuditEvent(db, identity, { type: 'verify', outcome: 'ok', signers: [FPR], bundleUuid: '6f1c2a9e-2b7d' });
    appendAuditEvent(db, identity, { type: 'verify', outcome: 'ok', signers: ['F'.repeat(40)] });
    const seqs = (text: string) => listAuditEvents(db, { text }).map((e) => e.seq);
    expect(seqs('89abcdef0123')).toEqual([1]);
    expect(seqs('0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567')).toEqual([1]);
    expect(seqs('6F1C2A9E')).toEqual([1]);
    expect(seqs('nothing like it')).toEqual([]);
  });

  it('writes the export to a file through a temp name and fsync, leaving no temp file', async () => {
    appendAuditEvent(db, identity, {
      type: 'export',
      outcome: 'ok',
      bundleName: '=HYPERLINK("x")',
      fileRows: [{ path: 'data/a', size: 1, sha256: 'a'.repeat(64) }],
    });
    appendAuditEvent(db, identity, { type: 'settings-change', outcome: 'ok', details: { changes: [{ field: 'operatorName', from: null, to: 'Dana' }] } });
    const target = join(dir, 'audit.csv');
    await writeFile(target, 'an older export');
    expect(await exportAuditLogToFile(db, 'csv', target)).toEqual({ events: 2, checkpoints: 0 });
    const text = await readFile(target, 'utf8');
    expect(text).toBe(await collect('csv'));
    const rows = text.trim().split('\r\n');
    expect(rows).toHaveLength(4); // header, event, its file row, settings-change
    expect(rows[3]).toContain('"settings-change"');
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const json = join(dir, 'audit.json');
    await exportAuditLogToFile(db, 'json', json);
    expect(JSON.parse(await readFile(json, 'utf8'))).toMatchObject({
      format: 'airlock-audit-export',
      events: [{ seq: 1 }, { seq: 2, type: 'settings-change' }],
    });
  });

  it('fails into a missing folder without leaving anything', async () => {
    await expect(exportAuditLogToFile(db, 'csv', join(dir, 'missing', 'audit.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(dir)).filter((f) => !f.startsWith('a.db'))).toEqual([]);
  });
});
