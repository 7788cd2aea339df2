import { createHash } from 'node:crypto';

export const AUDIT_EVENT_TYPES = ['export', 'verify', 'import', 'key-generate', 'key-trust', 'key-untrust', 'key-revoke', 'key-backup', 'export-prepare', 'export-approve', 'media-write', 'media-readback', 'audit-checkpoint'] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
export const AUDIT_OUTCOMES = ['ok', 'rejected', 'failed', 'cancelled'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditFileRow {
  path: string;
  size: number;
  sha256: string;
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
  fileRows?: readonly AuditFileRow[];
}

/** One event as stored and as every reader sees it. */
export interface AuditEvent {
  seq: number;
  at: string;
  type: string;
  outcome: string;
  operator: string;
  station: string;
  bundleUuid: string | null;
  bundleName: string | null;
  tagmanifestSha256: string | null;
  signers: string[];
  problemCodes: string[];
  errorCode: string | null;
  files: number | null;
  bytes: number | null;
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
export function filesDigest(rows: readonly AuditFileRow[]): string | null {
  if (rows.length === 0) return null;
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${canonicalJson([row.path, row.size, row.sha256])}\n`);
  return hash.digest('hex');
}

/**
 * The event's hash covers every stored field but the hash itself, in a fixed order, prefixed
 * with a version tag so a future format can never produce a colliding byte string.
 */
export function eventHash(event: Omit<AuditEvent, 'hash'>): string {
  const body = canonicalJson([
    event.seq,
    event.at,
    event.type,
    event.outcome,
    event.operator,
    event.station,
    event.bundleUuid,
    event.bundleName,
    event.tagmanifestSha256,
    event.signers,
    event.problemCodes,
    event.errorCode,
    event.files,
    event.bytes,
    event.details,
    event.filesDigest,
    event.prevHash,
  ]);
  return createHash('sha256').update(`airlock-audit-event-v1\n${body}`).digest('hex');
}
