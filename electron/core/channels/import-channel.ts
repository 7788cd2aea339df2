/**
 * The channel check as one import runs it (import-bundle.ts), from the authenticated stamp to the
 * settle transaction (docs/channels.md):
 * - gate: a bundle without a stamp where the policy requires one is refused; a heartbeat is
 *   checked now (it takes no claim: nothing of it is imported);
 * - claim: in the claim's IMMEDIATE transaction the stamp is checked against the channel state
 *   and its number reserved, so concurrent imports see each other;
 * - settle: committed, the channel state moves on in the settle transaction; otherwise the
 *   reservation is released (recovery releases it after a crash: reconcile.ts).
 */
import type { ChannelStamp } from '../../../shared/channels.js';
import { problem, type Problem } from '../../../shared/problems.js';
import type { ChannelReport } from '../../../shared/results.js';
import type { StationDb } from '../db/station-db.js';
import type { ChannelPolicy } from '../policy/channel-policy.js';
import {
  channelReport,
  checkStamp,
  missingStampProblem,
  recordReceived,
  refusals,
  releaseReservation,
  reserveSequence,
  type StampCheck,
} from './channel-receive.js';

export class ImportChannelCheck {
  private stamp: ChannelStamp | null = null;
  private signer: string | null = null;
  private check: StampCheck | null = null;
  /** The tag manifest whose number was reserved in the claim (null: none reserved). */
  private reserved: string | null = null;

  constructor(
    private readonly db: StationDb,
    private readonly policy: ChannelPolicy,
  ) {}

  /** Whether the authenticated bundle is a heartbeat (set at the gate). */
  get heartbeat(): boolean {
    return this.stamp?.heartbeat === true;
  }

  /** At the gate, before any claim: the policy's requirement, and a heartbeat's whole check. */
  atGate(stamp: ChannelStamp | null, signer: string | null, tagmanifestSha256: string): Problem[] {
    this.stamp = stamp;
    this.signer = signer;
    if (stamp === null || signer === null) return this.policy.require ? [missingStampProblem()] : [];
    if (!stamp.heartbeat) return [];
    return this.heartbeatProblems(tagmanifestSha256);
  }

  /** In the claim's transaction: check against the state and reserve the number. */
  inClaim(tagmanifestSha256: string): Problem[] {
    if (this.stamp === null || this.signer === null) return [];
    this.check = checkStamp(this.db, this.policy, this.signer, this.stamp, tagmanifestSha256);
    const refused = refusals(this.check);
    if (refused.length > 0) return refused;
    if (!this.check.sameBundleSeen) reserveSequence(this.db, this.signer, this.stamp, tagmanifestSha256);
    this.reserved = tagmanifestSha256;
    return [];
  }

  /** In the settle transaction of a claimed import: committed, the channel moves on; otherwise the reservation goes. */
  settled(committed: boolean): void {
    if (this.stamp === null || this.signer === null || this.reserved === null) return;
    if (committed) recordReceived(this.db, this.signer, this.stamp, this.reserved);
    else releaseReservation(this.db, this.reserved);
  }

  /**
   * A verified heartbeat, in one transaction with its audit event (`record`): checked again (the
   * state may have moved since the gate), then recorded. Problems: refused, nothing recorded here.
   */
  settleHeartbeat(tagmanifestSha256: string, record: (refused: Problem[]) => void): Problem[] {
    return this.db
      .transaction((): Problem[] => {
        const refused = this.heartbeatProblems(tagmanifestSha256);
        if (refused.length === 0 && this.stamp !== null && this.signer !== null) recordReceived(this.db, this.signer, this.stamp, tagmanifestSha256);
        record(refused);
        return refused;
      })
      .immediate();
  }

  /** VerifyResult.channel for the import's report (absent without a stamp). */
  report(): ChannelReport | undefined {
    if (this.stamp === null || this.signer === null) return undefined;
    return channelReport(this.stamp, this.signer, this.check);
  }

  private heartbeatProblems(tagmanifestSha256: string): Problem[] {
    if (this.stamp === null || this.signer === null) return [];
    this.check = checkStamp(this.db, this.policy, this.signer, this.stamp, tagmanifestSha256);
    if (this.check.sameBundleSeen)
      return [problem('REPLAY', `This heartbeat (sequence ${this.stamp.sequence} on "${this.stamp.channel}") was received before; a heartbeat counts once.`)];
    return refusals(this.check);
  }
}
