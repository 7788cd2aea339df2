import type { StationIdentity } from '../home/station-config.js';
import type { AuditCheckpoint } from './audit-checkpoint.js';
import type { AuditEvent } from './audit-event.js';
import type { ReceiptCheck, TransferReceipt } from './receipt.js';

/** What a transfer gives its receipt; the station, operator, times and audit anchor are added. */
export interface TransferReceiptFacts {
  bundle: TransferReceipt['bundle'];
  signers: ReadonlyArray<{ fingerprint: string; userIds: string[] }>;
  checks: ReceiptCheck[];
  files: number;
  bytes: number;
  destination: string | null;
  startedAt: Date;
  /** The transfer's audit event: the receipt names its sequence number and hash. */
  event: AuditEvent;
  checkpoint: AuditCheckpoint | null;
  media: TransferReceipt['media'];
  /** Import with --push-to: what the push did per image, and the blobs the registry holds (issue #15.4). */
  registry?: TransferReceipt['registry'];
  /** Import with content inspection (issue #16): the scanner, its database version and date, and the counts. */
  inspection?: TransferReceipt['inspection'];
  /** A bundle with a channel stamp (docs/channels.md). */
  channel?: TransferReceipt['channel'];
  /** media-verify: verified or refused. */
  outcome?: TransferReceipt['outcome'];
}

export function buildTransferReceipt(kind: TransferReceipt['kind'], identity: StationIdentity, facts: TransferReceiptFacts): TransferReceipt {
  return {
    receipt: 'airlock-transfer-receipt',
    version: 1,
    kind,
    bundle: facts.bundle,
    signers: facts.signers.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds })),
    checks: facts.checks,
    files: facts.files,
    bytes: facts.bytes,
    destination: facts.destination,
    media: facts.media,
    registry: facts.registry,
    inspection: facts.inspection,
    channel: facts.channel,
    outcome: facts.outcome,
    operator: identity.operator,
    station: identity.station,
    startedAt: facts.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    audit: {
      eventSeq: facts.event.seq,
      eventHash: facts.event.hash,
      checkpoint: facts.checkpoint ? { seq: facts.checkpoint.seq, hash: facts.checkpoint.hash, at: facts.checkpoint.at } : null,
    },
  };
}
