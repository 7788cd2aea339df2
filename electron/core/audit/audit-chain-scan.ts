import { hash as sha256Hex } from 'node:crypto';
import type Database from 'better-sqlite3';
import { filesDigest, GENESIS_HASH, hashStoredEvent, type StoredAuditEvent } from './audit-event.js';
import { auditFileRowReader } from './audit-store.js';

/**
 * One stretch of the audit chain checked on its own: the rows with `after < seq <= upTo`, in
 * seq order, each checked exactly as a walk from the first event would check it (contiguous
 * numbers, linked to the row before, hash recomputed, file rows), starting from the state such a
 * walk would be in had every earlier row passed. A walk over the whole log is the chunks'
 * results joined in order up to the first one that broke (audit-chain-lanes.ts), so chunks can
 * be checked on several cores at once and still name the same broken row.
 */
export interface ChainChunk {
  index: number;
  /** Exclusive lower bound; null for the first chunk, which also takes any seq below 1. */
  after: number | null;
  /** Inclusive upper bound. */
  upTo: number;
}

export interface ChainChunkResult {
  index: number;
  /** Rows read, the broken one included (what the walk's event count adds). */
  rows: number;
  /** The seq the walk expected next when it stopped: at the broken row, else after the last row. */
  expected: number;
  /** The first row that broke the chain here, if any. */
  broken: { seq: number; reason: string } | null;
  /** Hashes of the rows in `wanted` that passed (checkpoints and the head file vouch for them). */
  hashes: [number, string][];
  /** True when the scan stopped early because an earlier chunk already broke or the check was cancelled. */
  abandoned: boolean;
}

/**
 * The row's hash input built by SQLite, one string per row instead of seventeen values: reading
 * the row is most of the cost of verifying it. json_quote() writes a JSON string literal exactly
 * as JSON.stringify does (test/unit/core/audit/audit-chain-scan.test.ts pins this for every UTF-16
 * code unit), and a mismatch is always re-checked with hashStoredEvent() on the row as read, so
 * this text only ever speeds up a row that is intact; it never decides that one was edited.
 */
const HASH_INPUT_SQL = `'airlock-audit-event-v1' || char(10) || '[' || json_quote(seq) || ',' || json_quote(at) || ',' || json_quote(type) || ',' ||
  json_quote(outcome) || ',' || json_quote(operator) || ',' || json_quote(station) || ',' || json_quote(bundle_uuid) || ',' ||
  json_quote(bundle_name) || ',' || json_quote(tagmanifest_sha256) || ',' || signers || ',' || problem_codes || ',' ||
  json_quote(error_code) || ',' || json_quote(files) || ',' || json_quote(bytes) || ',' || details || ',' || json_quote(files_digest) || ',' ||
  json_quote(prev_hash) || ']'`;

type ScanRow = [seq: number, prevHash: string, hash: string, filesDigest: string | null, hashInput: string | null];

/** How often a long scan looks whether it should stop (an earlier chunk broke, or cancel). */
const STOP_CHECK_ROWS = 2048;

export interface ChainScanner {
  scan(chunk: ChainChunk, wanted: ReadonlySet<number>, shouldStop: () => boolean): ChainChunkResult;
}

/** Prepared once per connection: a worker scans many chunks with the same statements. */
export function chainScanner(db: Database.Database): ChainScanner {
  const first = db.prepare(`SELECT seq, prev_hash, hash, files_digest, ${HASH_INPUT_SQL} FROM audit_events WHERE seq <= ? ORDER BY seq`).raw();
  const next = db.prepare(`SELECT seq, prev_hash, hash, files_digest, ${HASH_INPUT_SQL} FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq`).raw();
  const before = db.prepare('SELECT seq, hash FROM audit_events WHERE seq <= ? ORDER BY seq DESC LIMIT 1');
  const wholeRow = db.prepare('SELECT * FROM audit_events WHERE seq = ?');
  const fileRows = auditFileRowReader(db);

  /** The walk's state on reaching this chunk if every row before it passed: the row just before it links the chain. */
  const startOf = (chunk: ChainChunk): { expected: number; prev: string } => {
    if (chunk.after === null) return { expected: 1, prev: GENESIS_HASH };
    const row = before.get(chunk.after) as { seq: number; hash: string } | undefined;
    return row ? { expected: row.seq + 1, prev: row.hash } : { expected: 1, prev: GENESIS_HASH };
  };

  /** The reference check, on the row as better-sqlite3 reads it: what decides an edit. */
  const editedAsRead = (seq: number, stored: string): boolean => {
    const row = wholeRow.get(seq) as StoredAuditEvent | undefined;
    if (!row) return true;
    const { hash, ...rest } = row;
    return hashStoredEvent(rest) !== hash || hash !== stored;
  };

  return {
    scan(chunk, wanted, shouldStop) {
      let { expected, prev } = startOf(chunk);
      const result: ChainChunkResult = { index: chunk.index, rows: 0, expected, broken: null, hashes: [], abandoned: false };
      const rows = (chunk.after === null ? first.iterate(chunk.upTo) : next.iterate(chunk.after, chunk.upTo)) as IterableIterator<ScanRow>;
      const stop = (broken: ChainChunkResult['broken']): void => {
        result.broken = broken;
      };
      for (const [seq, prevHash, hash, digest, hashInput] of rows) {
        if (result.rows % STOP_CHECK_ROWS === 0 && result.rows > 0 && shouldStop()) {
          result.abandoned = true;
          break;
        }
        result.rows += 1;
        if (seq !== expected) {
          stop({ seq: expected, reason: seq > expected ? `event #${expected} is missing (deleted)` : `event #${seq} is out of order` });
          break;
        }
        if (prevHash !== prev) {
          stop({ seq, reason: `event #${seq} does not follow event #${seq - 1} (inserted, reordered or edited)` });
          break;
        }
        if ((hashInput === null || sha256Hex('sha256', hashInput) !== hash) && editedAsRead(seq, hash)) {
          stop({ seq, reason: `event #${seq} was edited after it was recorded` });
          break;
        }
        // Rows added to an event recorded without any are caught by one query after the walk (audit-verify.ts).
        if (digest !== null && filesDigest(fileRows(seq)) !== digest) {
          stop({ seq, reason: `the per-file rows of event #${seq} were edited` });
          break;
        }
        if (wanted.has(seq)) result.hashes.push([seq, hash]);
        prev = hash;
        expected += 1;
      }
      result.expected = expected;
      return result;
    },
  };
}
