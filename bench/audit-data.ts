/**
 * A large audit log, made fast. appendAuditEvent commits (and fsyncs) one transaction per event,
 * minutes for a million; so the bench builds each record with the store's own buildAuditRecord
 * and inserts it with insertAuditRecord, many to a transaction. The last event goes through the real appendAuditEvent,
 * so the chain must continue seamlessly from the bench's rows, and `audit verify` later checks
 * every one: a mistake here shows up as a broken chain, not as a flattering number.
 *
 * The content is deterministic (seeded PRNG) and shaped like a busy station's log: exports,
 * verifies and imports mostly, some media and key events; ~1% rejected with problem codes, a
 * few failed or cancelled; ~10% with 1-3 per-file rows; one event every 1-59 s. NEEDLE_EVENTS
 * events carry a bundle name containing NEEDLE, which nothing else contains: too few to fill
 * `--limit 100`, so a text search for it scans the whole log (the worst case).
 */
import { PROBLEM_CODES } from '../shared/problems.js';
import { GENESIS_HASH, type AuditEventInput, type AuditFileRow } from '../electron/core/audit/audit-event.js';
import { appendAuditEvent, auditHead, buildAuditRecord, insertAuditRecord } from '../electron/core/audit/audit-store.js';
import { openStationDb, type StationDb } from '../electron/core/db/station-db.js';
import { seededRandom } from '../test/helpers/seeded-random.js';

export const NEEDLE = 'INC-424242';
export const NEEDLE_EVENTS = 12;
/** Events per transaction: big enough that commits cost nothing, small enough to report progress. */
const BATCH = 50_000;

const STATION = 'bench-station';
const OPERATORS = ['alice (alice)', 'bob (bob)', 'carol (carol)', 'dave (svc-airlock)'];
const ERROR_CODES = ['IO_ERROR', 'NO_SPACE', 'NOT_FOUND', 'PASSPHRASE_WRONG'];

export interface AuditBuild {
  /** Events in the log afterwards (those the CLI recorded before the build included). */
  events: number;
  /** Events the build added. */
  added: number;
  fileRows: number;
  rejected: number;
  /** import events with outcome rejected: what the filtered list query looks for. */
  rejectedImports: number;
  needleEvents: number;
  seconds: number;
}

/** The same log on every run. */
const prng = seededRandom;

class EventMaker {
  private readonly random = prng(0xa1710c);
  private readonly fingerprints = [this.hex(40).toUpperCase(), this.hex(40).toUpperCase(), this.hex(40).toUpperCase()];

  hex(length: number): string {
    let out = '';
    while (out.length < length)
      out += Math.floor(this.random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, length);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }

  /** The n-th generated event (n from 0); `needle` puts NEEDLE into its bundle name. */
  make(n: number, needle: boolean): AuditEventInput & { operator: string } {
    const operator = this.pick(OPERATORS);
    const r = this.random();
    const drawn =
      r < 0.28
        ? 'export'
        : r < 0.5
          ? 'verify'
          : r < 0.82
            ? 'import'
            : r < 0.89
              ? 'media-write'
              : r < 0.96
                ? 'media-readback'
                : r < 0.975
                  ? 'key-trust'
                  : r < 0.98
                    ? 'key-untrust'
                    : 'key-revoke';
    // A needle must land in a bundle name, which key events do not have.
    const type = needle && (drawn === 'key-trust' || drawn === 'key-untrust' || drawn === 'key-revoke') ? 'verify' : drawn;
    if (type === 'key-trust' || type === 'key-untrust' || type === 'key-revoke') {
      return {
        operator,
        type,
        outcome: 'ok',
        signers: [this.pick(this.fingerprints)],
        details: type === 'key-trust' ? { file: `/media/usb0/keys/station-${String(this.int(1, 40))}.asc`, label: 'partner station', role: 'signer' } : {},
      };
    }
    const bundleName = needle ? `${NEEDLE}-evidence-${String(n)}` : `transfer-${String(n).padStart(7, '0')}`;
    const bundlePath = `/media/usb0/${bundleName}.airlock.tar`;
    const files = this.int(1, 5000);
    const input: AuditEventInput & { operator: string } = {
      operator,
      type,
      outcome: 'ok',
      bundleUuid: this.uuid(),
      bundleName,
      tagmanifestSha256: this.hex(64),
      signers: [this.pick(this.fingerprints)],
      files,
      bytes: files * this.int(1000, 2_000_000),
      details:
        type === 'import' ? { bundlePath, destDir: '/srv/inbox', destination: `/srv/inbox/${bundleName}`, replayOf: null, warnings: [] } : { bundlePath },
    };
    const canReject = type === 'verify' || type === 'import';
    const roll = this.random();
    if (canReject && roll < 0.0185) {
      input.outcome = 'rejected';
      input.problemCodes = this.chance(0.7) ? [this.pick(PROBLEM_CODES)] : [this.pick(PROBLEM_CODES), this.pick(PROBLEM_CODES)];
    } else if (roll < 0.03) {
      input.outcome = 'failed';
      input.errorCode = this.pick(ERROR_CODES);
      input.details = { ...input.details, message: 'The operation failed.' };
    } else if (roll < 0.035 && type !== 'verify') {
      input.outcome = 'cancelled';
      input.errorCode = 'CANCELLED';
    } else if ((type === 'export' || type === 'import') && this.chance(1 / 6)) {
      input.fileRows = Array.from({ length: this.int(1, 3) }, (_, i): AuditFileRow => ({
        path: `data/${bundleName}/file-${String(i)}.bin`,
        size: this.int(1, 1e9),
        sha256: this.hex(64),
      }));
      input.files = input.fileRows.length;
    }
    return input;
  }
}

/**
 * Appends events to the station database `dbFile` until it holds `total` (what the CLI already
 * recorded counts). Returns what was added; `onProgress` gets the events added so far. Nothing
 * else may write to the database meanwhile (the bench's chain head lives in this function).
 */
export async function buildAuditLog(dbFile: string, total: number, onProgress: (added: number) => void): Promise<AuditBuild> {
  const started = performance.now();
  const db: StationDb = openStationDb(dbFile);
  try {
    const head = auditHead(db);
    const toAdd = Math.max(0, total - (head?.seq ?? 0));
    const lastAt = head ? (db.prepare('SELECT at FROM audit_events WHERE seq = ?').get(head.seq) as { at: string }).at : new Date().toISOString();
    const maker = new EventMaker();
    const needleEvery = Math.max(1, Math.floor(toAdd / NEEDLE_EVENTS));
    const stats = { fileRows: 0, rejected: 0, rejectedImports: 0, needleEvents: 0 };
    let seq = head?.seq ?? 0;
    let prev = head?.hash ?? GENESIS_HASH;
    let at = Date.parse(lastAt);

    const next = (n: number) => {
      const needle = stats.needleEvents < NEEDLE_EVENTS && n % needleEvery === needleEvery - 1;
      const input = maker.make(n, needle);
      if (needle) stats.needleEvents++;
      if (input.outcome === 'rejected') {
        stats.rejected++;
        if (input.type === 'import') stats.rejectedImports++;
      }
      stats.fileRows += input.fileRows?.length ?? 0;
      at += maker.int(1, 59) * 1000;
      return input;
    };
    const batch = db.transaction((from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const { operator, ...input } = next(n);
        // The store's own record builder and insert, in big transactions instead of one per event.
        const record = buildAuditRecord({ station: STATION, operator, organization: null }, input, ++seq, prev, new Date(at));
        insertAuditRecord(db, record);
        prev = record.row.hash;
      }
    });
    const fast = Math.max(0, toAdd - 1);
    for (let from = 0; from < fast; from += BATCH) {
      batch(from, Math.min(fast, from + BATCH));
      onProgress(Math.min(fast, from + BATCH));
      await new Promise<void>((resolve) => setImmediate(resolve)); // let Ctrl-C's handler run between batches
    }
    if (toAdd > 0) {
      const { operator, ...input } = next(toAdd - 1);
      appendAuditEvent(db, { station: STATION, operator, organization: null }, input, new Date(at));
    }
    return { events: auditHead(db)?.seq ?? 0, added: toAdd, ...stats, seconds: (performance.now() - started) / 1000 };
  } finally {
    db.close();
  }
}
