import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { problem, type Problem } from '../../../shared/problems.js';
import type { PolicyFinding } from '../../../shared/results.js';
import { AirlockError, errnoOf, toAirlockError } from '../errors.js';
import { sweepDeadTemps } from '../fs/owned-temp.js';
import { nameTaken } from '../fs/publish.js';
import { checkBundle, type AuthenticatedFacts } from '../verify/check-bundle.js';
import type { PayloadRows } from '../verify/payload-index.js';
import { stageAuditFileRows, type StagedFileRows } from '../audit/staged-file-rows.js';
import { portabilityFindings } from '../bundle/path-rules.js';
import { replayFinding, replayNotChecked, withFinding } from '../policy/policy-findings.js';
import { findPriorImport, highestSequenceFrom, type ImportIdentity, type PriorImport } from './replay-guard.js';
import { claimImport, folderId, noteStagedTotals, type ClaimOutcome, type LiveClaim, type StagedFolderId } from './import-claim.js';
import { cleanLeftoverStaging, StagingDirectory } from './staging.js';
import { flushStaged, flushStagedWhile } from './staged-sync.js';
import { ImportChannelCheck } from '../channels/import-channel.js';
import { pastCommitProgress, reportingWhile } from '../jobs/progress-heartbeat.js';
import { homeRoomFailure, homeStorageFailure } from '../home/home-storage.js';
import type { ImportOptions, ImportResult } from './import-types.js';
import { settle, settleHeartbeat, settleQuietly } from './import-settle.js';
export type { ImportOptions, ImportResult, ImportSettlement } from './import-types.js';

/** lstat, not access(): a symlink at DIR/NAME, dangling or not, is a name taken. */
const exists = nameTaken;

/**
 * Import: the verify pipeline with every payload byte landing in a private staging directory
 * as it is hashed; name policy, then replay guard and claim (one transaction, import-claim.ts)
 * before any payload is read; on any problem the staging directory goes and DIR is as it was;
 * on success everything is flushed to disk and the payload is renamed to DIR/<bundle name> in
 * one step, then the claim is settled with its audit event. The bundle is read once.
 */
export async function importBundle(options: ImportOptions): Promise<ImportResult> {
  // Absolute from here on: staging checks compare resolved paths.
  const destDir = resolve(options.destDir);
  const destStats = await stat(destDir).catch((error: unknown) => {
    throw toAirlockError(error, destDir);
  });
  if (!destStats.isDirectory()) throw new AirlockError('NOT_A_FOLDER', `The destination ${destDir} is a file, not a folder.`, { path: destDir });

  const warnings: string[] = [];
  const leftovers = await cleanLeftoverStaging(destDir);
  for (const dir of leftovers.removed) warnings.push(`Removed ${dir}, left by an interrupted import.`);
  for (const dir of leftovers.leftAlone) warnings.push(`${dir} belongs to an import that may still be running; left alone.`);
  for (const dir of leftovers.unremovable) warnings.push(`${dir}, left by an interrupted import, could not be removed; the next import tries again.`);
  for (const dir of leftovers.unproven)
    warnings.push(`${dir} is named like an Airlock staging folder, but nothing proves Airlock made it; left alone (remove it yourself if it is not needed).`);
  await sweepDeadTemps(destDir);

  let claimId: number | null = null;
  let identity: ImportIdentity | null = null;
  let replayOf: number | null = null;
  let target: string | null = null;
  let replay: PolicyFinding = replayNotChecked();
  let pushRetryOf: PriorImport | null = null;
  let importInProgress: LiveClaim | null = null;
  const channel = new ImportChannelCheck(options.db, options.policy.channels);

  const gate = async (facts: AuthenticatedFacts): Promise<Problem[]> => {
    if (options.expectTagmanifest !== undefined && facts.tagmanifestSha256 !== options.expectTagmanifest)
      throw new AirlockError(
        'RELEASE_APPROVAL_INVALID',
        `The kept bundle's tag manifest is ${facts.tagmanifestSha256}; the one quarantined and approved was ${String(options.expectTagmanifest)}. Nothing was imported.`,
      );
    // The top directory becomes DIR/<name>: it must be a name this station would write.
    const nameFindings = portabilityFindings(facts.name, options.policy.names);
    if (facts.name.startsWith('.')) nameFindings.push('it starts with a dot (hidden, and reserved for staging)');
    if (nameFindings.length > 0)
      return [problem('UNSAFE_PATH', `The bundle's top directory "${facts.name}" cannot become a folder here: ${nameFindings.join('; ')}.`, facts.name)];
    // The scanner before the claim and before any payload byte: an import it cannot inspect is refused now.
    const ready = options.inspection?.readiness();
    if (ready && ready.problems.length > 0) return ready.problems;
    if (ready) warnings.push(...ready.warnings);
    // The channel stamp (channels/import-channel.ts): a heartbeat is checked whole here and takes no claim.
    const channelRefused = channel.atGate(
      facts.channel,
      facts.signers.map((s) => s.fingerprint),
      facts.tagmanifestSha256,
    );
    if (channelRefused.length > 0 || channel.heartbeat) return channelRefused;
    identity = {
      tagmanifestSha256: facts.tagmanifestSha256,
      uuid: facts.uuid,
      name: facts.name,
      signers: facts.signers.map((s) => s.fingerprint),
      sequence: facts.sequence,
      station: facts.station,
    };
    const earlier = options.pushRetry?.(identity) === true ? findPriorImport(options.db, identity) : null;
    if (earlier !== null) {
      pushRetryOf = earlier;
      warnings.push(
        `This bundle was imported before (import #${earlier.id}, to ${earlier.destination}) and some of its images failed to push: this run only pushed; no file was imported again.`,
      );
      replay = replayFinding(
        'pass',
        `${describePrior(earlier).when} This run only pushes its images again (a push was left unfinished); no file is imported twice.`,
      );
      return [];
    }
    // Replay guard, destination check and claim in one transaction: of two imports of one
    // bundle started at once, exactly one claims it; the other says REPLAY (before "exists").
    target = join(destDir, facts.name);
    if (stagedId === null) throw new AirlockError('IO_ERROR', `The staging folder ${staging.payloadDir} vanished.`, { path: staging.payloadDir });
    const claimed = claimImport(options.db, {
      identity,
      destination: target,
      staged: stagedId,
      operator: options.operator,
      bundlePath: options.bundlePath,
      allowReplay: options.allowReplay === true,
      settleInterrupted: options.settleInterrupted,
      inClaim: () => channel.inClaim(facts.tagmanifestSha256),
    });
    if (claimed.kind === 'refused') return claimed.problems;
    const refused = refusal(claimed, target);
    if (claimed.kind === 'in-progress') importInProgress = claimed.other;
    if (refused) {
      replay = replayFinding('fail', refused.message);
      return [refused];
    }
    if (claimed.kind !== 'claimed') throw new AirlockError('INTERNAL', 'unreachable claim outcome');
    claimId = claimed.id;
    replay = replayFinding('pass', 'Not imported on this station before.');
    if (claimed.prior) {
      const { how, when } = describePrior(claimed.prior);
      replayOf = claimed.prior.id;
      replay = replayFinding('pass', `${when} Imported again as the operator asked (the override is recorded).`);
      warnings.push(`${how} was imported before (import #${claimed.prior.id}); importing again as the operator asked (recorded).`);
    }
    const highest = highestSequenceFrom(options.db, identity.signers);
    if (facts.sequence !== null && highest !== null && facts.sequence < highest) {
      warnings.push(
        `Sequence number ${facts.sequence} is lower than ${highest}, already imported from this signer: an old bundle, or bundles arriving out of order.`,
      );
    }
    return [];
  };

  const staging = await StagingDirectory.create(destDir, options.bundlePath, { durable: options.durable });
  // The rename keeps the folder's device and inode: after a crash they prove a destination ours.
  const stagedId = folderId(staging.payloadDir);
  let committed = false;
  let auditRows: StagedFileRows | null = null;
  // The verified rows (a digest spill behind them for a large manifest): released on every path once staged as audit rows.
  let verifiedRows: PayloadRows | null = null;
  try {
    const result = await checkBundle({
      bundlePath: options.bundlePath,
      source: options.source,
      trusted: options.trusted,
      limits: options.policy.limits,
      portability: options.policy.names,
      requiredSigners: options.policy.requiredSigners,
      clockSkewSeconds: options.policy.clockSkewSeconds,
      failFast: true,
      payloadSink: options.payloadSink?.(staging) ?? staging,
      payloadLanes: options.payloadLanes,
      digestSpill: options.digestSpill,
      afterAuthentication: gate,
      inspectors: options.inspection ? [options.inspection] : undefined,
      now: options.now,
      signal: options.signal,
      onProgress: options.onProgress,
      acceptFinding: options.acceptFinding,
    });
    const { payload, ...checked } = result;
    verifiedRows = payload;
    const report = {
      ...checked,
      policy: withFinding(checked.policy, replay),
      inspection: options.inspection?.summary(),
      channel: channel.report() ?? checked.channel,
    };
    if (result.ok && channel.heartbeat) return settleHeartbeat(options, channel, report, warnings);
    // Set inside the gate (a closure): the compiler cannot see that.
    const retryOf = pushRetryOf as PriorImport | null;
    if (result.ok && identity !== null && retryOf !== null) {
      await flushStaged(staging, options.onProgress);
      await options.beforeCommit?.({ payloadDir: staging.payloadDir, tagmanifestSha256: (identity as ImportIdentity).tagmanifestSha256 });
      return { ...report, destination: retryOf.destination, warnings, payloadFiles: [], replayOf: retryOf.id };
    }
    if (!result.ok || identity === null || target === null || claimId === null) {
      const rejected: ImportResult = {
        ...report,
        ok: false,
        destination: null,
        warnings,
        payloadFiles: [],
        replayOf: null,
        ...(importInProgress === null ? {} : { importInProgress: { ...(importInProgress as LiveClaim) } }),
      };
      await options.beforeRefusalRecorded?.(rejected);
      if (claimId !== null) settleQuietly(options, claimId, { kind: 'rejected', result: rejected }, channel);
      return rejected;
    }
    const id: number = claimId;
    noteStagedTotals(options.db, id, result.bundle.files, result.bundle.bytes);
    // The audit log's per-file rows, staged before the commit (a phase with progress that a cancel can stop, issue #18),
    // while the flush runs: the last small files and the syncfs leave this thread idle.
    auditRows = await flushStagedWhile(
      staging,
      options.onProgress,
      () => stageAuditFileRows(options.db, payload, payload.length, { signal: options.signal, onProgress: options.onProgress }),
      (rows) => rows.discard(),
    );
    // Staged: the rows are not read again (payload.length, used below, is a count held apart).
    payload.release?.();
    if (options.signal?.aborted) throw new AirlockError('CANCELLED');
    await options.beforeCommit?.({ payloadDir: staging.payloadDir, tagmanifestSha256: (identity as ImportIdentity).tagmanifestSha256 });
    if (options.signal?.aborted) throw new AirlockError('CANCELLED');
    const finalTarget: string = target;
    // A home too full to record the import refuses it here, not after it is in place unrecorded.
    const noRoom = options.db.memory ? null : homeRoomFailure(options.db.name, payload.length);
    if (noRoom) throw noRoom;
    if (await exists(finalTarget))
      throw new AirlockError('OUTPUT_EXISTS', `${finalTarget} appeared during the import; nothing was changed.`, { path: finalTarget });
    await commit(staging, finalTarget, stagedId as StagedFolderId, warnings);
    committed = true;
    const imported: ImportResult = { ...report, destination: finalTarget, warnings, payloadFiles: auditRows, replayOf };
    const recorded: StagedFileRows = auditRows;
    // Past the commit point: a phase of its own (issue #18), drawn before the transaction runs; no signal from here.
    await reportingWhile(options.onProgress, pastCommitProgress('settling', payload.length), async () => {
      try {
        settle(options, id, { kind: 'imported', result: imported }, channel);
      } catch (error) {
        const full = options.db.memory ? null : homeStorageFailure(error, dirname(options.db.name));
        throw new AirlockError(
          'AUDIT_UNAVAILABLE',
          full?.code === 'NO_SPACE'
            ? `The import is in place at ${finalTarget}, but recording it failed: ${full.message} The first Airlock command after space is freed there records it.`
            : `The import is in place at ${finalTarget}, but recording it failed (${(error as Error).message}); the next Airlock command records it.`,
          { path: finalTarget, cause: error },
        );
      }
      // Recorded: the staged copy goes in short steps, the line kept alive between them.
      await recorded.release();
    });
    return imported;
  } catch (error) {
    const failure = toAirlockError(error, options.bundlePath);
    // Not after the commit: a record that failed then leaves the claim pending, for the next start to settle from the file system.
    if (claimId !== null && !committed) settleQuietly(options, claimId, { kind: 'failed', error: failure }, channel);
    throw failure;
  } finally {
    verifiedRows?.release?.();
    try {
      auditRows?.discard();
    } catch {
      // The temporary table goes with the connection anyway; the import's outcome stands.
    }
    // After a commit only owner.json (and the empty ahead/ of files the lanes wrote) is left in it; after a failure, everything staged goes.
    await staging.discard().catch(() => undefined);
  }
}

function describePrior(prior: PriorImport): { how: string; when: string } {
  const how = prior.sameTagmanifest ? 'This exact bundle' : 'A bundle with the same UUID';
  return { how, when: `${how} was imported to ${prior.destination} at ${prior.committedAt ?? '?'} (import #${prior.id}).` };
}

/** What a claim that was not granted tells the operator (REPLAY), or throws (OUTPUT_EXISTS). */
function refusal(claimed: ClaimOutcome, target: string): Problem | null {
  switch (claimed.kind) {
    case 'claimed':
      return null;
    case 'replay': {
      const { when } = describePrior(claimed.prior);
      return problem('REPLAY', `${when} Importing it again takes the explicit override, which is recorded.`);
    }
    case 'in-progress':
      return problem(
        'REPLAY',
        `This bundle is being imported right now to ${claimed.other.destination} (import #${claimed.other.id}, process ${claimed.other.pid ?? '?'}, started ${claimed.other.startedAt}); one bundle is never imported twice at once, not even with the override. Wait for it to finish.`,
      );
    case 'destination-claimed':
      throw new AirlockError(
        'OUTPUT_EXISTS',
        `${target} is being written by another import now (import #${claimed.other.id}, process ${claimed.other.pid ?? '?'}); Airlock never overwrites or merges an import.`,
        { path: target },
      );
    case 'destination-exists':
      throw new AirlockError('OUTPUT_EXISTS', `${target} exists; Airlock never overwrites or merges an import.`, { path: target });
    case 'refused':
      // The channel check in the claim's transaction (channels/import-channel.ts): its first refusal; the report lists all.
      return claimed.problems[0] ?? null;
  }
}

/**
 * The commit rename. A folder that appeared at the target since the check (another program)
 * makes rename fail with ENOTEMPTY or EEXIST: that is OUTPUT_EXISTS, not an I/O error. If the
 * rename happened and only the folder's fsync failed, the import did happen: say so.
 */
async function commit(staging: StagingDirectory, target: string, stagedId: StagedFolderId, warnings: string[]): Promise<void> {
  try {
    await staging.commitTo(target);
  } catch (error) {
    const found = folderId(target);
    if (found !== null && found.dev === stagedId.dev && found.ino === stagedId.ino) {
      warnings.push(`The import is in place, but flushing ${dirname(target)} to disk failed (${(error as Error).message}); a power cut now could undo it.`);
      return;
    }
    const code = errnoOf(error);
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new AirlockError('OUTPUT_EXISTS', `${target} appeared during the import; nothing was changed.`, { path: target, cause: error });
    }
    throw error;
  }
}
