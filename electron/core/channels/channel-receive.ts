/**
 * The receiving side of a channel (docs/channels.md): per first trusted signer and channel, which
 * sequence numbers arrived (`channel_seen`, with each bundle's tag manifest hash) and the highest
 * (`channel_receive`). A stamp is checked against them (checkStamp: read only; verify reports it)
 * and, once the bundle is imported, recorded (recordReceived: in the import's settle transaction).
 *
 * Import reserves its number in the claim's IMMEDIATE transaction (a channel_seen row), so of two
 * different bundles with one number imported at once the second sees the first as a duplicate; a
 * reservation whose import ends without its commit is released (releaseReservation), also by
 * recovery after a crash (reconcile.ts).
 */
import type { ChannelFinding, ChannelStamp } from '../../../shared/channels.js';
import { PROBLEM_TEXT, problem, type Problem, type ProblemCode } from '../../../shared/problems.js';
import type { ChannelReport } from '../../../shared/results.js';
import type { ReceiptChannel } from '../audit/receipt.js';
import type { StationDb } from '../db/station-db.js';
import { channelDecision, type ChannelPolicy } from '../policy/channel-policy.js';

/** Missing numbers listed at most (a gap may span millions: it is then counted, not listed). */
export const MISSING_LIST_CAP = 100;

export interface StampCheck {
  /** The sequence this station expected next on the channel from this signer. */
  expected: number;
  /** This very bundle (same number, same tag manifest) was received before: a replay, not a channel finding. */
  sameBundleSeen: boolean;
  /** Findings with the policy's decision. */
  findings: ChannelFinding[];
  /** For a gap: the numbers it skips (first MISSING_LIST_CAP) and how many in all. */
  missing: { numbers: number[]; count: number };
}

function seenHash(db: StationDb, signer: string, channel: string, sequence: number): string | null {
  const row = db.prepare('SELECT tagmanifest_sha256 FROM channel_seen WHERE signer = ? AND channel = ? AND sequence = ?').get(signer, channel, sequence) as
    { tagmanifest_sha256: string } | undefined;
  return row?.tagmanifest_sha256 ?? null;
}

function highestSeen(db: StationDb, signer: string, channel: string): number {
  const row = db.prepare('SELECT MAX(sequence) AS top FROM channel_seen WHERE signer = ? AND channel = ?').get(signer, channel) as { top: number | null };
  return row.top ?? 0;
}

/** Check a stamp against what this station received on the channel. Changes nothing. */
export function checkStamp(db: StationDb, policy: ChannelPolicy, signer: string, stamp: ChannelStamp, tagmanifestSha256: string): StampCheck {
  const { channel, sequence } = stamp;
  const expected = highestSeen(db, signer, channel) + 1;
  const found: Array<{ code: ProblemCode; detail: string }> = [];
  const missing = { numbers: [] as number[], count: 0 };
  const already = seenHash(db, signer, channel, sequence);
  if (already === tagmanifestSha256) return { expected, sameBundleSeen: true, findings: [], missing };
  if (already !== null) {
    found.push({
      code: 'CHANNEL_DUPLICATE',
      detail: `Sequence ${sequence} on "${channel}" was received before as the bundle whose tag manifest is ${already}.`,
    });
  } else if (sequence > expected) {
    missing.count = sequence - expected;
    for (let n = expected; n < sequence && missing.numbers.length < MISSING_LIST_CAP; n += 1) missing.numbers.push(n);
    const listed = missing.count > missing.numbers.length ? `${missing.numbers.join(', ')}, … (${missing.count} in all)` : missing.numbers.join(', ');
    found.push({ code: 'CHANNEL_GAP', detail: `Expected ${expected} on "${channel}", got ${sequence}: missing ${listed}.` });
  } else if (sequence < expected) {
    found.push({ code: 'CHANNEL_REORDERED', detail: `Sequence ${sequence} on "${channel}" arrived after ${expected - 1}; it fills a gap.` });
  }
  // The back-link, whenever the bundle before it is known (a duplicate is judged on its own).
  if (already === null && sequence > 1) {
    const before = seenHash(db, signer, channel, sequence - 1);
    if (before !== null && before !== stamp.previousTagManifestSha256) {
      found.push({
        code: 'CHANNEL_BACKLINK_BROKEN',
        detail: `It names ${stamp.previousTagManifestSha256 ?? 'none'} as sequence ${sequence - 1}; this station received ${before} as ${sequence - 1}.`,
      });
    }
  }
  const findings = found.map(({ code, detail }) => ({
    code,
    signer,
    channel,
    expected,
    received: sequence,
    decision: channelDecision(policy, code),
    message: `${PROBLEM_TEXT[code].message} ${detail}`,
  }));
  return { expected, sameBundleSeen: false, findings, missing };
}

/** The refusals among the findings, as problems (the bundle is rejected with them). */
export function refusals(check: StampCheck): Problem[] {
  return check.findings.filter((f) => f.decision === 'refuse').map((f) => problem(f.code, f.message.slice(PROBLEM_TEXT[f.code].message.length + 1)));
}

/** A bundle without a stamp where the policy requires one. */
export function missingStampProblem(): Problem {
  return problem('CHANNEL_STAMP_INVALID', 'The bundle carries no channel stamp, and this station’s policy requires one on every bundle.');
}

/** The report verify and import give (VerifyResult.channel). */
export function channelReport(stamp: ChannelStamp, signer: string, check: StampCheck | null): ChannelReport {
  return { stamp, signer, findings: check?.findings ?? [], missing: check && check.missing.count > 0 ? check.missing.numbers : undefined };
}

/** What the audit event records of the channel (details.channel). */
export function channelAuditDetails(report: ChannelReport | undefined): Record<string, unknown> | undefined {
  if (!report) return undefined;
  return {
    channel: report.stamp.channel,
    sequence: report.stamp.sequence,
    signer: report.signer,
    heartbeat: report.stamp.heartbeat,
    findings: report.findings.map((f) => ({ code: f.code, expected: f.expected, received: f.received, decision: f.decision })),
    missing: report.missing,
  };
}

/** What a receipt records of the channel (audit/receipt.ts). */
export function channelReceipt(stamp: ChannelStamp | null | undefined, findings: readonly ChannelFinding[] = []): ReceiptChannel | undefined {
  if (!stamp) return undefined;
  return { ...stamp, findings: findings.map((f) => ({ code: f.code, expected: f.expected, received: f.received, decision: f.decision })) };
}

/** Inside the claim's transaction: take the number (idempotent: the same bundle's row stays). */
export function reserveSequence(db: StationDb, signer: string, stamp: ChannelStamp, tagmanifestSha256: string, at = new Date()): void {
  db.prepare('INSERT INTO channel_seen (signer, channel, sequence, tagmanifest_sha256, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
    signer,
    stamp.channel,
    stamp.sequence,
    tagmanifestSha256,
    at.toISOString(),
  );
}

/**
 * An import that reserved a number ended without its commit: the number is free again. Only a
 * reservation no committed import stands behind (an earlier import of the same bundle keeps it).
 */
export function releaseReservation(db: StationDb, tagmanifestSha256: string): void {
  db.prepare(
    `DELETE FROM channel_seen WHERE tagmanifest_sha256 = ?
       AND NOT EXISTS (SELECT 1 FROM imports WHERE imports.tagmanifest_sha256 = channel_seen.tagmanifest_sha256 AND imports.status = 'imported')
       AND NOT EXISTS (SELECT 1 FROM channel_receive r WHERE r.signer = channel_seen.signer AND r.channel = channel_seen.channel
                         AND r.last_tagmanifest_sha256 = channel_seen.tagmanifest_sha256)`,
  ).run(tagmanifestSha256);
}

/**
 * The bundle was received (imported, or a heartbeat verified): its number is taken, the channel's
 * highest moves up (never down), anything arriving clears a raised heartbeat alarm.
 */
export function recordReceived(db: StationDb, signer: string, stamp: ChannelStamp, tagmanifestSha256: string, at = new Date()): void {
  reserveSequence(db, signer, stamp, tagmanifestSha256, at);
  const when = at.toISOString();
  db.prepare(
    `INSERT INTO channel_receive (signer, channel, last_sequence, last_tagmanifest_sha256, last_received_at, last_heartbeat_at, alarm_raised_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL)
     ON CONFLICT(signer, channel) DO UPDATE SET
       last_tagmanifest_sha256 = CASE WHEN excluded.last_sequence >= channel_receive.last_sequence THEN excluded.last_tagmanifest_sha256 ELSE channel_receive.last_tagmanifest_sha256 END,
       last_sequence = MAX(channel_receive.last_sequence, excluded.last_sequence),
       last_received_at = excluded.last_received_at,
       last_heartbeat_at = COALESCE(excluded.last_heartbeat_at, channel_receive.last_heartbeat_at),
       alarm_raised_at = NULL`,
  ).run(signer, stamp.channel, stamp.sequence, tagmanifestSha256, when, stamp.heartbeat ? when : null);
}

/**
 * Recovery of an import committed before its settle transaction (reconcile.ts): the number it
 * reserved is its record; the channel's highest moves up to it as recordReceived would have.
 */
export function confirmReservation(db: StationDb, tagmanifestSha256: string, at = new Date()): void {
  const rows = db.prepare('SELECT signer, channel, sequence FROM channel_seen WHERE tagmanifest_sha256 = ?').all(tagmanifestSha256) as Array<{
    signer: string;
    channel: string;
    sequence: number;
  }>;
  for (const row of rows) {
    recordReceived(db, row.signer, { channel: row.channel, sequence: row.sequence, previousTagManifestSha256: null, heartbeat: false }, tagmanifestSha256, at);
  }
}
