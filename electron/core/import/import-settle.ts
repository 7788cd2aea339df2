import type { ImportChannelCheck } from '../channels/import-channel.js';
import { settleFailed, settleImported } from './import-claim.js';
import type { ImportOptions, ImportResult, ImportSettlement } from './import-types.js';

// How a claimed import (or a verified heartbeat) is settled: the claim, the channel and the audit event in one transaction.

/** A failure to record a failure must not hide the failure: the claim then stays pending, settled on the next start. */
export function settleQuietly(options: ImportOptions, id: number, settlement: ImportSettlement, channel: ImportChannelCheck): void {
  try {
    settle(options, id, settlement, channel);
  } catch {
    // Left pending on purpose (see above).
  }
}

/** Settle the claim and record the outcome in one transaction. If that fails the claim stays pending, settled from the file system on the next start. */
export function settle(options: ImportOptions, id: number, settlement: ImportSettlement, channel: ImportChannelCheck): void {
  options.db
    .transaction(() => {
      if (settlement.kind === 'imported') settleImported(options.db, id);
      else settleFailed(options.db, id);
      // The channel moves on with the commit; a reservation of an import that did not commit is released.
      channel.settled(settlement.kind === 'imported');
      options.recordSettlement?.(settlement);
    })
    .immediate();
}

/**
 * A verified heartbeat: nothing is imported (no claim, no commit). Its channel is checked again
 * and recorded with its audit event in one transaction; a refusal then rejects it.
 */
export function settleHeartbeat(
  options: ImportOptions,
  channel: ImportChannelCheck,
  report: Omit<ImportResult, 'destination' | 'warnings' | 'payloadFiles' | 'replayOf'>,
  warnings: string[],
): ImportResult {
  const received: ImportResult = { ...report, destination: null, warnings, payloadFiles: [], replayOf: null, heartbeat: true };
  let outcome = received;
  channel.settleHeartbeat(report.bundle.tagmanifestSha256 ?? '', (refused) => {
    outcome =
      refused.length === 0
        ? { ...received, channel: channel.report() }
        : { ...received, ok: false, problems: [...report.problems, ...refused], channel: channel.report() };
    options.recordSettlement?.({ kind: refused.length === 0 ? 'heartbeat' : 'rejected', result: outcome });
  });
  return outcome;
}
