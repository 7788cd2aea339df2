import { createHash } from 'node:crypto';

export { AUDIT_EVENT_TYPES, AUDIT_OUTCOMES, type AuditEventType, type AuditOutcome } from '../../../shared/audit-types.js';
import type { AuditEventType, AuditOutcome } from '../../../shared/audit-types.js';

export interface AuditFileRow {
  path: string;
  size: number;
  sha256: string;
}

/**
 * An event's per-file rows: an array, or a list that makes each row when it is read (an import
 * of a million files need not hold a million row objects). Read twice: digest, then insert.
 */
export interface AuditFileRows extends Iterable<AuditFileRow> {
  readonly length: number;
  /** The rows are not read again: what they are read from is freed (an export's or a verify's digest spill). */
  release?(): void;
}

/** What a caller records; the store adds sequence, time, identity and the chain. */
export interface AuditEventInput {
  type: AuditEventType;
  outcome: AuditOutcome;
  bundleUuid?: string | null;
  bundleName?: string | null;
  tagmanifestSha256?: string | null;
  signers?: string[];
  problemCodes?: string[];
  errorCode?: string | null;
  files?: number | null;
  bytes?: number | null;
  details?: Record<string, unknown>;
  fileRows?: AuditFileRows;
}

/** The columns an event's reader form and its stored row name alike (the rest differ in case or encoding). */
interface AuditEventHead {
  seq: number;
  at: string;
  type: string;
  outcome: string;
  operator: string;
  station: string;
  files: number | null;
  bytes: number | null;
}

/** One event as stored and as every reader sees it. */
export interface AuditEvent extends AuditEventHead {
  bundleUuid: string | null;
  bundleName: string | null;
  tagmanifestSha256: string | null;
  signers: string[];
  problemCodes: string[];
  errorCode: string | null;
  details: Record<string, unknown>;
  filesDigest: string | null;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: one byte string per value, whatever the insertion order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Per-file rows are bound into their event through this digest, so editing one breaks the chain. */
export function filesDigest(rows: AuditFileRows): string | null {
  if (hasDigest(rows)) return rows.digest;
  const digest = new FilesDigest();
  for (const row of rows) digest.add(row);
  return digest.finish();
}

/** Rows that carry their digest, computed as they were staged (staged-file-rows.ts). */
function hasDigest(rows: AuditFileRows): rows is AuditFileRows & { readonly digest: string | null } {
  return 'digest' in rows && (typeof rows.digest === 'string' || rows.digest === null);
}

/** filesDigest a row at a time: null for no rows. */
export class FilesDigest {
  private readonly hash = createHash('sha256');
  private chunk = '';
  private rows = 0;

  add(row: AuditFileRow): void {
    // canonicalJson of [path, size, sha256]: for an array of strings and numbers that is exactly
    // JSON.stringify's text (no keys to sort), built here without the per-element recursion.
    this.chunk += `${JSON.stringify([row.path, row.size, row.sha256])}\n`;
    this.rows += 1;
    if (this.chunk.length >= 1 << 16) {
      this.hash.update(this.chunk);
      this.chunk = '';
    }
  }

  finish(): string | null {
    if (this.rows === 0) return null;
    this.hash.update(this.chunk);
    return this.hash.digest('hex');
  }
}

/** One event exactly as its row is stored: JSON columns as their canonical text. */
export interface StoredAuditEvent extends AuditEventHead {
  bundle_uuid: string | null;
  bundle_name: string | null;
  tagmanifest_sha256: string | null;
  signers: string;
  problem_codes: string;
  error_code: string | null;
  details: string;
  files_digest: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * The hash covers every stored column but the hash itself, in a fixed order, JSON columns as
 * the exact text stored (written canonically), so verifying a row needs no parsing and any
 * change to any byte of it shows. A version tag keeps a future format from colliding.
 */
export function hashStoredEvent(row: Omit<StoredAuditEvent, 'hash'>): string {
  const q = (value: string | number | null): string => JSON.stringify(value);
  const body = `[${q(row.seq)},${q(row.at)},${q(row.type)},${q(row.outcome)},${q(row.operator)},${q(row.station)},${q(row.bundle_uuid)},${q(row.bundle_name)},${q(row.tagmanifest_sha256)},${row.signers},${row.problem_codes},${q(row.error_code)},${q(row.files)},${q(row.bytes)},${row.details},${q(row.files_digest)},${q(row.prev_hash)}]`;
  return createHash('sha256').update(`airlock-audit-event-v1\n${body}`).digest('hex');
}

/** The stored form of an event (JSON columns canonical). */
export function toStoredEvent(event: Omit<AuditEvent, 'hash'>): Omit<StoredAuditEvent, 'hash'> {
  return {
    seq: event.seq,
    at: event.at,
    type: event.type,
    outcome: event.outcome,
    operator: event.operator,
    station: event.station,
    bundle_uuid: event.bundleUuid,
    bundle_name: event.bundleName,
    tagmanifest_sha256: event.tagmanifestSha256,
    signers: canonicalJson(event.signers),
    problem_codes: canonicalJson(event.problemCodes),
    error_code: event.errorCode,
    files: event.files,
    bytes: event.bytes,
    details: canonicalJson(event.details),
    files_digest: event.filesDigest,
    prev_hash: event.prevHash,
  };
}

export function eventHash(event: Omit<AuditEvent, 'hash'>): string {
  return hashStoredEvent(toStoredEvent(event));
}
